/* Live channel: a progressive enhancement. Without JavaScript every page is complete on
   reload. With it, the browser listens on /ws/ for the signed-in user's notifications and
   for the object groups the page declares in data-live-groups, and says so politely. */
(function () {
  "use strict";
  var body = document.body;
  if (!("WebSocket" in window) || !body) return;
  var groups = (body.getAttribute("data-live-groups") || "").split(/\s+/).filter(Boolean);
  var path = body.getAttribute("data-live-url") || "/ws/";
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var retry = 1000;

  function announce(text) {
    var region = document.getElementById("live-region");
    if (!region) return;
    region.textContent = text;
    region.hidden = false;
  }

  function onEvent(message) {
    // A page script that updates itself in place cancels the event: no generic notice.
    var handled = !document.dispatchEvent(
      new CustomEvent("ashyq:live", { detail: message, cancelable: true })
    );
    if (handled) return;
    if (message.group && message.group.indexOf("user.") === 0) {
      // Only new notifications ring the bell; other personal events are for app scripts.
      var count = document.getElementById("notifications-count");
      if (count && message.event === "notification") {
        count.textContent = String((parseInt(count.textContent, 10) || 0) + 1);
      }
    } else if (message.event === "viewers") {
      // Presence ("N watching") is not new content: pages that show it update it themselves.
      return;
    } else if (!message.payload || !message.payload.handled) {
      announce(body.getAttribute("data-live-text") || document.documentElement.getAttribute("data-live-text") || "New content is available on this page. Reload to see it.");
    }
  }

  function connect() {
    var socket;
    try { socket = new WebSocket(scheme + window.location.host + path); } catch (e) { return; }
    socket.onopen = function () {
      retry = 1000;
      if (groups.length) socket.send(JSON.stringify({ subscribe: groups }));
    };
    socket.onmessage = function (e) {
      var message;
      try { message = JSON.parse(e.data); } catch (err) { return; }
      if (message.type === "event") onEvent(message);
    };
    socket.onclose = function () {
      retry = Math.min(retry * 2, 30000);
      window.setTimeout(connect, retry);
    };
    window.ashyqLive = socket;
  }
  connect();
})();
