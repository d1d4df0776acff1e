// Welzijnswijzer chat page. Plain JS, no build step. Every bot text is shown with
// textContent (never as markup), so HTML in a reply is displayed, not executed.
// Resident-facing words come from data-* attributes in chat.html.
(function () {
  "use strict";

  var form = document.getElementById("chatformulier");
  var input = document.getElementById("bericht");
  var sendButton = document.getElementById("verstuur");
  var log = document.getElementById("gesprek");
  var busy = document.getElementById("bezig");
  var errorBox = document.getElementById("fout");
  var endpoint = form.getAttribute("data-endpoint");
  var maxChars = parseInt(form.getAttribute("data-max"), 10) || 1000;
  var words = form.dataset;
  var pending = false;

  function addBubble(who, text) {
    var bubble = document.createElement("div");
    bubble.className = "bubble " + who;
    var label = document.createElement("span");
    label.className = "who";
    label.textContent = (who === "user" ? words.labelJij : words.labelBot) + " ";
    bubble.appendChild(label);
    bubble.appendChild(document.createTextNode(text));
    log.appendChild(bubble);
    log.scrollTop = log.scrollHeight;
  }

  function disableOldButtons() {
    var old = log.querySelectorAll(".buttons button");
    for (var i = 0; i < old.length; i++) { old[i].disabled = true; }
  }

  function addButtons(buttons) {
    var group = document.createElement("div");
    group.className = "buttons";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", words.labelKnoppen);
    buttons.forEach(function (button) {
      var element = document.createElement("button");
      element.type = "button";
      element.textContent = button.title;
      element.addEventListener("click", function () {
        send(button.payload, button.title);
      });
      group.appendChild(element);
    });
    log.appendChild(group);
    log.scrollTop = log.scrollHeight;
  }

  function showMessages(messages) {
    (messages || []).forEach(function (message) {
      if (message.text) { addBubble("bot", message.text); }
      if (message.buttons && message.buttons.length) { addButtons(message.buttons); }
    });
  }

  function setPending(value) {
    pending = value;
    busy.hidden = !value;
    sendButton.disabled = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
  }

  function send(message, shownAs) {
    if (pending) { return false; }
    errorBox.textContent = "";
    if (!message.trim()) { errorBox.textContent = words.tekstLeeg; input.focus(); return false; }
    if (message.length > maxChars) { errorBox.textContent = words.tekstTeLang; input.focus(); return false; }
    disableOldButtons();
    addBubble("user", shownAs || message);
    setPending(true);
    fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ message: message })
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.body.messages) { showMessages(result.body.messages); }
      else if (result.body.message) { errorBox.textContent = result.body.message; }
    }).catch(function () {
      errorBox.textContent = words.tekstNetwerk;
      if (!shownAs && !input.value) { input.value = message; }  // nothing typed is lost
    }).then(function () {
      setPending(false);
      input.focus();
    });
    return true;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    // The typed text stays in the field until it is really on its way.
    if (send(input.value)) { input.value = ""; }
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
})();
