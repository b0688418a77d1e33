/* The official's studio: answer without leaving the page. Each answer form is posted with
   `Accept: application/json`; on success the question leaves the list, on an error the
   message is shown on the field and the text stays. Questions answered by someone else
   leave the list, newly published ones join it (over the websocket). Without JavaScript
   the forms post normally and the page comes back. */
(function () {
  "use strict";
  var root = document.getElementById("cf-studio");
  if (!root || !window.fetch || !window.FormData) return;
  var group = "conference." + root.getAttribute("data-conference-id");
  var status = document.getElementById("cf-studio-status");
  var list = document.getElementById("cf-studio-list");

  function say(text) {
    if (status) status.textContent = text || "";
  }

  function refreshEmpty() {
    var empty = document.getElementById("cf-studio-empty");
    if (empty && list) empty.hidden = list.children.length > 0;
  }

  function removeItem(id) {
    var item = document.getElementById("question-" + id);
    if (item && item.parentNode === list) {
      item.parentNode.removeChild(item);
      refreshEmpty();
    }
  }

  function showErrors(form, errors) {
    var field = form.querySelector("textarea");
    var old = form.querySelector(".errorlist");
    if (old) old.parentNode.removeChild(old);
    var messages = [];
    Object.keys(errors || {}).forEach(function (key) { messages = messages.concat(errors[key]); });
    if (!messages.length || !field) return;
    var box = document.createElement("ul");
    box.className = "errorlist";
    box.id = field.id + "_error";
    messages.forEach(function (text) {
      var item = document.createElement("li");
      item.textContent = text;
      box.appendChild(item);
    });
    field.parentNode.insertBefore(box, field);
    field.setAttribute("aria-invalid", "true");
    var described = (field.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    if (described.indexOf(box.id) < 0) described.push(box.id);
    field.setAttribute("aria-describedby", described.join(" "));
    field.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("cf-answer-form")) return;
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    say(root.getAttribute("data-label-sending"));
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (button) button.disabled = false;
      if (result.ok && result.data.ok) {
        say(result.data.message || root.getAttribute("data-label-sent"));
        var item = form.closest("li");
        var next = item && item.nextElementSibling;
        removeItem(result.data.question_id);
        var focus = next && next.querySelector("textarea");
        if (focus) focus.focus();
      } else {
        say("");
        showErrors(form, result.data.errors);
      }
    }).catch(function () {
      if (button) button.disabled = false;
      say(root.getAttribute("data-label-failed"));
    });
  });

  document.addEventListener("ashyq:live", function (event) {
    var message = event.detail;
    if (!message || message.group !== group) return;
    var payload = message.payload || {};
    if (message.event === "conference_answer" || message.event === "conference_question_hidden") {
      removeItem(payload.question_id);
      event.preventDefault();
    } else if (message.event === "conference_question_published") {
      var template = document.getElementById("cf-studio-template");
      if (!template || !list || document.getElementById("question-" + payload.question_id)) {
        event.preventDefault();
        return;
      }
      var item = template.content.firstElementChild.cloneNode(true);
      var id = String(payload.question_id);
      item.id = "question-" + id;
      item.setAttribute("data-question-id", id);
      item.querySelector('[data-field="question_text"]').textContent = payload.question_text;
      item.querySelector('[data-field="question_text"]').id = "question-" + id + "-text";
      item.querySelector('[data-field="question_author"]').textContent = payload.question_author;
      item.querySelector('[data-field="vote_count"]').textContent = String(payload.vote_count);
      var form = item.querySelector("form");
      form.action = root.getAttribute("data-answer-url").replace("/questions/0/", "/questions/" + id + "/");
      var textarea = item.querySelector("textarea");
      textarea.id = "answer-" + id;
      textarea.setAttribute("aria-describedby", "question-" + id + "-text");
      item.querySelector("label").setAttribute("for", "answer-" + id);
      list.appendChild(item);
      refreshEmpty();
      event.preventDefault();
    } else if (message.event === "viewers") {
      event.preventDefault();
    }
  });
})();
