/* Comments, enhanced. Without JavaScript every link and form works on its own page; with
   it, replies load in place, new comments announce themselves ("2 new comments — show")
   when ashyq:live says so, and the text box counts characters. No build step. */
(function () {
  "use strict";
  if (window.ashyqComments) return;  // included once per page, however many blocks
  window.ashyqComments = true;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return String(values[key]); });
  }

  function fetchHtml(url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      });
  }

  // Replies on demand: "Show N replies" fetches the fragment into the comment.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-replies-url]");
    if (!link) return;
    event.preventDefault();
    var more = link.hasAttribute("data-more");
    var box = more ? link.closest(".comment-replies") : document.getElementById(link.getAttribute("aria-controls"));
    if (!box) { window.location.href = link.href; return; }
    if (!more && link.getAttribute("aria-expanded") === "true") {
      box.hidden = !box.hidden;
      link.setAttribute("aria-expanded", box.hidden ? "false" : "true");
      return;
    }
    fetchHtml(link.getAttribute("data-replies-url")).then(function (html) {
      if (more) {
        var holder = link.closest(".comment-more-replies");
        holder.insertAdjacentHTML("beforebegin", html);
        holder.remove();
      } else {
        box.innerHTML = html;
        box.hidden = false;
        link.setAttribute("aria-expanded", "true");
      }
    }).catch(function () { window.location.href = link.href; });
  });

  // Reply and edit forms open in place (without JavaScript the links open a form page).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-inline-form]");
    if (!link) return;
    var article = link.closest("article");
    var existing = article && article.querySelector(":scope > .comment-inline-form");
    event.preventDefault();
    if (existing) { existing.remove(); return; }
    fetchHtml(link.href).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var form = doc.querySelector("main form.comment-form");
      if (!form) { window.location.href = link.href; return; }
      var holder = document.createElement("div");
      holder.className = "comment-inline-form";
      holder.appendChild(document.importNode(form, true));
      link.closest(".comment-actions").insertAdjacentElement("afterend", holder);
      var cancel = holder.querySelector("form > a");
      if (cancel) cancel.addEventListener("click", function (e) { e.preventDefault(); holder.remove(); link.focus(); });
      var field = holder.querySelector("textarea");
      if (field) field.focus();
    }).catch(function () { window.location.href = link.href; });
  });

  // Character counter, a nicety: the server checks the length and explains.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("textarea[data-max-length]")) return;
    var counter = field.parentNode.querySelector(".comment-counter");
    var section = document.getElementById("comments");
    var template = (section && section.getAttribute("data-text-counter")) || "%(count)s / %(limit)s";
    if (counter) counter.textContent = format(template, { count: field.value.length, limit: field.getAttribute("data-max-length") });
  });

  // Live: "N new comments — show".
  var section = document.getElementById("comments");
  if (!section) return;
  var group = section.getAttribute("data-live-group");
  var banner = section.querySelector(".comment-new-banner");
  var button = section.querySelector(".comment-new-show");
  var list = section.querySelector(".comment-list");
  var pending = [];

  function showBanner() {
    var text = pending.length === 1 ? section.getAttribute("data-text-new-one")
      : format(section.getAttribute("data-text-new-many"), { count: pending.length });
    button.textContent = text;
    banner.hidden = false;
  }

  document.addEventListener("ashyq:live", function (event) {
    var message = event.detail || {};
    if (message.group !== group || message.event !== "comment_posted") return;
    if (message.payload) message.payload.handled = true;  // no generic "reload" notice
    var id = message.payload && message.payload.id;
    if (!id || document.getElementById("c" + id) || pending.indexOf(id) !== -1) return;
    if (message.payload.parent) return;  // replies show under their comment on demand
    pending.push(id);
    showBanner();
  });

  if (button) button.addEventListener("click", function () {
    var ids = pending.splice(0, pending.length);
    if (!ids.length) return;
    var status = section.querySelector(".comment-status");
    fetchHtml(section.getAttribute("data-new-url") + "?ids=" + ids.join(",")).then(function (html) {
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var items = holder.querySelectorAll(".comment-list > li");
      for (var i = 0; i < items.length; i++) {
        if (!document.getElementById(items[i].id)) list.appendChild(items[i]);
      }
      banner.hidden = true;
      if (items.length) {
        var first = document.getElementById(items[0].id);
        if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
      }
      if (status) status.textContent = button.textContent;
    }).catch(function () { pending = ids.concat(pending); });
  });
})();
