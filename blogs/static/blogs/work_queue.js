/* The agency's work queue, live. Without JavaScript the page is complete on reload. With
   it, when a service says the queue changed ("blog_queue_changed" on the agency's group,
   carrying only a question id), the rows are fetched again with the page's own filters and
   page (`?fragment=rows`), swapped in place, and the change is announced politely. */
(function () {
  "use strict";
  var section = document.getElementById("work-queue");
  if (!section || !window.fetch || !window.URLSearchParams) return;
  var group = section.getAttribute("data-live-group");
  var announcement = section.getAttribute("data-updated-text") || "";
  var timer = null;
  var loading = false;
  var again = false;

  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region || !text) return;
    // Empty first, so that the same words twice are read twice.
    region.textContent = "";
    region.hidden = false;
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function fragmentUrl() {
    var params = new URLSearchParams(window.location.search);
    params.set("fragment", "rows");
    return window.location.pathname + "?" + params.toString();
  }

  function refresh() {
    timer = null;
    if (loading) { again = true; return; }
    loading = true;
    var holder = document.getElementById("work-queue-rows");
    var focused = document.activeElement && holder && holder.contains(document.activeElement)
      ? document.activeElement.id : "";
    fetch(fragmentUrl(), { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        holder = document.getElementById("work-queue-rows");
        if (!holder) return;
        holder.innerHTML = html;
        // Keep the keyboard where it was when that row is still there.
        var target = focused && document.getElementById(focused);
        if (target) target.focus();
        announce(announcement);
      })
      .catch(function () {
        // The generic notice: the page is still right after a reload.
        announce(document.body.getAttribute("data-live-text") || "");
      })
      .then(function () {
        loading = false;
        if (again) { again = false; schedule(); }
      });
  }

  function schedule() {
    // Several changes in a moment (a redirect tells both agencies) make one request.
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 400);
  }

  document.addEventListener("ashyq:live", function (event) {
    var message = event.detail || {};
    if (message.group !== group || message.event !== "blog_queue_changed") return;
    event.preventDefault();  // handled here: no generic "reload to see it" notice
    schedule();
  });
})();
