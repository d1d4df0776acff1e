// Welzijnswijzer widget: one script tag on a municipal site.
//   <script src="https://…/widget.js" data-gemeente="GM0402" data-kleur="#00689e" data-titel="…" async></script>
// A launcher button opens a panel with our chat page in an iframe from our own
// origin, so the host page's CSS and scripts cannot reach the conversation.
// The Dutch texts below come from the server (bot/web/widget.yml).
(function () {
  "use strict";

  var TEXTS = {{ widget_texts | safe }};
  var DEFAULT_COLOUR = "#00306b";
  var MIN_CONTRAST = 4.5;  // WCAG AA for normal text: white text on the chosen colour

  var script = document.currentScript;
  if (!script || window.__welzijnswijzerWidget) { return; }
  window.__welzijnswijzerWidget = true;
  var origin = new URL(script.src, window.location.href).origin;
  var gemeente = (script.getAttribute("data-gemeente") || "").trim();
  var title = (script.getAttribute("data-titel") || "").trim() || TEXTS.titel;

  function channel(value) {
    var c = value / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  function parseHex(colour) {
    var match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(colour || "");
    if (!match) { return null; }
    var hex = match[1].length === 3 ? match[1].replace(/(.)/g, "$1$1") : match[1];
    return [0, 2, 4].map(function (i) { return parseInt(hex.substr(i, 2), 16); });
  }

  // Contrast of white text on `colour` (WCAG 2.1 relative luminance).
  function contrastWithWhite(rgb) {
    var luminance = 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
    return 1.05 / (luminance + 0.05);
  }

  function chooseColour(wanted) {
    if (!wanted) { return DEFAULT_COLOUR; }
    var rgb = parseHex(wanted.trim());
    if (rgb && contrastWithWhite(rgb) >= MIN_CONTRAST) { return "#" + wanted.trim().replace(/^#/, ""); }
    if (window.console && console.warn) {
      console.warn("Welzijnswijzer: data-kleur " + wanted + " has too little contrast with white text " +
                   "(WCAG AA needs 4.5:1); using " + DEFAULT_COLOUR + ".");
    }
    return DEFAULT_COLOUR;
  }

  var colour = chooseColour(script.getAttribute("data-kleur"));

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = origin + "/static/widget.css";
  document.head.appendChild(style);

  var root = document.createElement("div");
  root.className = "ww-widget";
  root.style.setProperty("--ww-kleur", colour);

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "ww-launcher";
  launcher.textContent = TEXTS.launcher;
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "ww-paneel");

  var panel = document.createElement("div");
  panel.id = "ww-paneel";
  panel.className = "ww-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-modal", "false");
  panel.setAttribute("aria-labelledby", "ww-paneel-titel");
  panel.hidden = true;

  var header = document.createElement("div");
  header.className = "ww-header";
  var heading = document.createElement("h2");
  heading.id = "ww-paneel-titel";
  heading.className = "ww-title";
  heading.textContent = title;
  var close = document.createElement("button");
  close.type = "button";
  close.className = "ww-close";
  close.textContent = TEXTS.sluiten;
  header.appendChild(heading);
  header.appendChild(close);
  panel.appendChild(header);

  var frame = null;

  function chatUrl() {
    var url = origin + "/?ingebed=1";
    if (/^GM\d{4}$/.test(gemeente)) { url += "&gemeente=" + encodeURIComponent(gemeente); }
    return url;
  }

  function focusChat() {
    if (frame && frame.contentWindow) { frame.contentWindow.postMessage({ welzijnswijzer: "focus" }, origin); }
  }

  function open() {
    if (!frame) {
      // The chat is loaded on first open only: a page visit alone starts nothing.
      frame = document.createElement("iframe");
      frame.className = "ww-frame";
      frame.title = TEXTS.frame_titel;
      frame.src = chatUrl();
      frame.addEventListener("load", function () { if (!panel.hidden) { focusChat(); } });
      panel.appendChild(frame);
    }
    panel.hidden = false;
    root.classList.add("ww-open");
    launcher.setAttribute("aria-expanded", "true");
    close.focus();
    focusChat();
  }

  function shut() {
    if (panel.hidden) { return; }
    panel.hidden = true;
    root.classList.remove("ww-open");
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) { open(); } else { shut(); } });
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); shut(); }
  });
  // Esc inside the chat (another document): the chat page tells us.
  window.addEventListener("message", function (event) {
    if (event.origin === origin && frame && event.source === frame.contentWindow &&
        event.data && event.data.welzijnswijzer === "sluiten") {
      shut();
    }
  });

  root.appendChild(launcher);
  root.appendChild(panel);

  function mount() { document.body.appendChild(root); }
  if (document.body) { mount(); } else { document.addEventListener("DOMContentLoaded", mount); }
})();
