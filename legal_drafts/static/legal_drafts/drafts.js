// Progressive enhancement of a draft's text: "N comments" in a paragraph's margin loads that
// paragraph's thread in place (the paragraph page's fragment) instead of leaving the page.
// Without JavaScript the link simply opens the paragraph's page.
(function () {
  "use strict";
  var REFS = ["for", "aria-labelledby", "aria-describedby", "aria-controls", "list"];

  // The fragment is a whole comments section: give its ids a prefix so they do not repeat
  // the ids of the draft's own comments on the same page.
  function uniqueIds(root, prefix) {
    var renamed = {};
    root.querySelectorAll("[id]").forEach(function (el) {
      renamed[el.id] = prefix + el.id;
      el.id = prefix + el.id;
    });
    root.querySelectorAll("*").forEach(function (el) {
      REFS.forEach(function (name) {
        var value = el.getAttribute(name);
        if (!value) return;
        el.setAttribute(name, value.split(/\s+/).map(function (id) { return renamed[id] || id; }).join(" "));
      });
    });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.draft-thread-link");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    var box = document.getElementById(link.getAttribute("aria-controls"));
    if (!box) return;
    event.preventDefault();
    if (!box.hidden) {
      box.hidden = true;
      link.setAttribute("aria-expanded", "false");
      return;
    }
    if (box.dataset.loaded === "1") {
      box.hidden = false;
      link.setAttribute("aria-expanded", "true");
      return;
    }
    fetch(link.dataset.fragmentUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        box.innerHTML = html;
        uniqueIds(box, box.id + "-");
        // The fragment's ids would repeat across paragraphs: keep only one thread open.
        document.querySelectorAll(".draft-thread").forEach(function (other) {
          if (other !== box && other.dataset.loaded === "1") {
            other.innerHTML = "";
            other.dataset.loaded = "";
            other.hidden = true;
          }
        });
        document.querySelectorAll("a.draft-thread-link[aria-expanded=true]").forEach(function (other) {
          other.setAttribute("aria-expanded", "false");
        });
        box.dataset.loaded = "1";
        box.hidden = false;
        link.setAttribute("aria-expanded", "true");
        var heading = box.querySelector("h2");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      })
      .catch(function () {
        window.location.href = link.href;
      });
  });
})();
