/* The ask form, enhanced: as the person types the title, answered questions that look
   like it are suggested in the aria-live region above the details. Without JavaScript the
   "Check for similar questions" button shows the same list. No build step. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form) return;
  var title = form.querySelector("[name=title]");
  var region = document.getElementById("similar-questions");
  if (!title || !region) return;

  var DELAY = 400;
  var MIN_LENGTH = 4;
  var timer = null;
  var lastQuery = "";
  var controller = null;

  function clear() {
    while (region.firstChild) region.removeChild(region.firstChild);
  }

  function render(results) {
    clear();
    if (!results.length) return;
    var heading = document.createElement("h2");
    heading.textContent = form.getAttribute("data-text-heading");
    region.appendChild(heading);
    var list = document.createElement("ul");
    results.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;  // text, never HTML
      li.appendChild(link);
      if (item.answered_on) {
        var meta = document.createElement("span");
        meta.className = "meta";
        var time = document.createElement("time");
        time.dateTime = item.answered_on;
        time.textContent = new Date(item.answered_on + "T12:00:00").toLocaleDateString(document.documentElement.lang || undefined);
        meta.appendChild(document.createTextNode(" (" + form.getAttribute("data-text-answered") + " "));
        meta.appendChild(time);
        meta.appendChild(document.createTextNode(")"));
        li.appendChild(meta);
      }
      list.appendChild(li);
    });
    region.appendChild(list);
  }

  function lookUp() {
    var query = title.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    if (controller) controller.abort();  // a slower, older answer must not come back
    if (query.length < MIN_LENGTH) { clear(); return; }
    controller = window.AbortController ? new AbortController() : null;
    var params = new URLSearchParams({ title: query, blog: form.getAttribute("data-blog") || "" });
    fetch(form.getAttribute("data-similar-url") + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" },
      signal: controller ? controller.signal : undefined
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { render(data.results || []); })
      .catch(function () { /* the "Check" button still works */ });
  }

  title.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, DELAY);
  });
})();
