/* A conference's page, live: answers, newly published questions and the number of people
   watching arrive over the site's websocket (ashyq/static/js/live.js dispatches each event
   as a cancelable `ashyq:live` DOM event). This script puts them in place and cancels the
   generic "reload to see it" notice. Every word comes from the page, translated by the
   server; answer HTML comes sanitised from the server (dialogue/text.py). Without
   JavaScript, a reload shows the same. The event payloads are documented in
   docs/conferences.md ("Live contract"). */
(function () {
  "use strict";
  var root = document.getElementById("cf-live");
  if (!root) return;
  var group = "conference." + root.getAttribute("data-conference-id");
  var lang = (document.documentElement.getAttribute("lang") || "kk").slice(0, 2);
  var timeZone = root.getAttribute("data-time-zone") || undefined;

  function label(name) {
    return root.getAttribute("data-label-" + name) || "";
  }

  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  function excerpt(text) {
    text = String(text || "").replace(/\s+/g, " ").trim();
    return text.length > 120 ? text.slice(0, 119) + "…" : text;
  }

  function announce(text) {
    var region = document.getElementById("cf-announcer");
    if (!region || !text) return;
    // Emptied first, so that the same words twice are still read out.
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  function position(positions) {
    if (!positions) return "";
    var order = [lang, "kk", "ru", "en"];
    for (var i = 0; i < order.length; i++) {
      if (positions[order[i]]) return positions[order[i]];
    }
    return "";
  }

  function formatTime(iso) {
    try {
      return new Date(iso).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit", timeZone: timeZone });
    } catch (e) {
      return iso;
    }
  }

  function setField(node, name, value) {
    var element = node.querySelector('[data-field="' + name + '"]');
    if (element) element.textContent = value;
    return element;
  }

  function fromTemplate(id, payload) {
    var template = document.getElementById(id);
    if (!template || !template.content) return null;
    var item = template.content.firstElementChild.cloneNode(true);
    item.id = "question-" + payload.question_id;
    item.setAttribute("data-question-id", String(payload.question_id));
    setField(item, "question_text", payload.question_text);
    setField(item, "question_author", payload.question_author);
    setField(item, "vote_count", String(payload.vote_count));
    return item;
  }

  function toggleEmpty(listId, emptyId) {
    var list = document.getElementById(listId);
    var empty = document.getElementById(emptyId);
    if (list && empty) empty.hidden = list.children.length > 0;
  }

  function onAnswer(payload) {
    var list = document.getElementById("cf-answered-list");
    if (!list) return false; // not the live layout (the page was opened before the start)
    var existing = document.getElementById("question-" + payload.question_id);
    if (existing && existing.parentNode === list) return true; // shown already
    var item = fromTemplate("cf-answer-template", payload);
    if (!item) return false;
    var who = payload.on_behalf
      ? fill(label("on-behalf"), { answerer: payload.answerer_name, official: payload.official_name })
      : payload.answerer_name;
    setField(item, "answerer", who);
    var title = position(payload.answerer_position);
    setField(item, "answerer_position", title ? ", " + title : "");
    var body = item.querySelector('[data-field="answer_html"]');
    if (body) body.innerHTML = payload.answer_html; // sanitised by the server (nh3)
    var time = item.querySelector('[data-field="answered_at"]');
    if (time) {
      time.setAttribute("datetime", payload.answered_at);
      time.textContent = formatTime(payload.answered_at);
    }
    if (existing) existing.parentNode.removeChild(existing);
    list.insertBefore(item, list.firstChild); // the latest answer first
    var count = document.getElementById("cf-answered-count");
    if (count && typeof payload.answered_count === "number") count.textContent = String(payload.answered_count);
    toggleEmpty("cf-answered-list", "cf-no-answers");
    toggleEmpty("cf-waiting-list", "cf-no-questions");
    announce(fill(label("announce-answer"), { question: excerpt(payload.question_text) }));
    return true;
  }

  function onPublished(payload) {
    var list = document.getElementById("cf-waiting-list");
    if (!list) return false;
    if (document.getElementById("question-" + payload.question_id)) return true;
    var item = fromTemplate("cf-question-template", payload);
    if (!item) return false;
    list.appendChild(item); // no votes yet: the end of the "most voted" order
    toggleEmpty("cf-waiting-list", "cf-no-questions");
    announce(fill(label("announce-question"), { question: excerpt(payload.question_text) }));
    return true;
  }

  function onHidden(payload) {
    var item = document.getElementById("question-" + payload.question_id);
    if (!item) return true;
    var note = document.createElement("p");
    note.className = "moderation-hidden";
    note.textContent = label("hidden");
    while (item.firstChild) item.removeChild(item.firstChild);
    item.appendChild(note);
    return true;
  }

  function onViewers(payload) {
    var count = document.getElementById("cf-viewer-count");
    if (count && typeof payload.count === "number") count.textContent = String(payload.count);
    return true;
  }

  var handlers = {
    conference_answer: onAnswer,
    conference_question_published: onPublished,
    conference_question_hidden: onHidden,
    viewers: onViewers
  };

  document.addEventListener("ashyq:live", function (event) {
    var message = event.detail;
    if (!message || message.group !== group || !handlers[message.event]) return;
    if (handlers[message.event](message.payload || {})) event.preventDefault();
  });
})();
