// Welzijnswijzer chat page. Plain JS, no build step. Every bot text is shown with
// textContent (never as markup), so HTML in a reply is displayed, not executed.
// Resident-facing words come from data-* attributes in chat.html (data-teksten:
// bot/web/widget.yml and bot/cards.yml). Nothing of the conversation is kept in the
// browser: after a reload the page asks the server (api/chat/geschiedenis).
(function () {
  "use strict";

  var form = document.getElementById("chatformulier");
  var input = document.getElementById("bericht");
  var sendButton = document.getElementById("verstuur");
  var clearButton = document.getElementById("wissen");
  var log = document.getElementById("gesprek");
  var notice = document.getElementById("melding");
  var busy = document.getElementById("bezig");
  var errorBox = document.getElementById("fout");
  var endpoint = form.getAttribute("data-endpoint");
  var maxChars = parseInt(form.getAttribute("data-max"), 10) || 1000;
  var words = form.dataset;
  var texts = JSON.parse(words.teksten || "{}");
  var gemeente = words.gemeente || "";
  var embedded = words.ingebed === "1";
  var pending = false;
  var cardCount = 0;

  // --- "Lees voor": the browser's own speech synthesis, only with a Dutch voice ---
  var speech = window.speechSynthesis || null;
  var dutchVoice = null;

  function findDutchVoice() {
    if (!speech || typeof speech.getVoices !== "function") { return null; }
    var voices = speech.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^nl([-_]|$)/i.test(voices[i].lang || "")) { return voices[i]; }
    }
    return null;
  }

  function updateReadButtons() {
    dutchVoice = findDutchVoice();
    var buttons = log.querySelectorAll(".lees-voor");
    for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = !dutchVoice; }
  }

  function readAloud(button, text) {
    if (!speech || !dutchVoice) { return; }
    var speaking = button.getAttribute("aria-pressed") === "true";
    speech.cancel();
    var all = log.querySelectorAll(".lees-voor[aria-pressed='true']");
    for (var i = 0; i < all.length; i++) { all[i].setAttribute("aria-pressed", "false"); }
    if (speaking) { return; }
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = dutchVoice.lang;
    utterance.voice = dutchVoice;
    utterance.onend = function () { button.setAttribute("aria-pressed", "false"); };
    button.setAttribute("aria-pressed", "true");
    speech.speak(utterance);
  }

  function readButton(text) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "lees-voor";
    button.textContent = texts.lees_voor;
    button.setAttribute("aria-pressed", "false");
    button.hidden = !dutchVoice;
    button.addEventListener("click", function () { readAloud(button, text); });
    return button;
  }

  if (speech && typeof speech.addEventListener === "function") {
    speech.addEventListener("voiceschanged", updateReadButtons);
  }
  dutchVoice = findDutchVoice();

  // --- messages ---
  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function addBubble(who, text) {
    var bubble = document.createElement("div");
    bubble.className = "bubble " + who;
    var label = document.createElement("span");
    label.className = "who";
    label.textContent = (who === "user" ? words.labelJij : words.labelBot) + " ";
    bubble.appendChild(label);
    bubble.appendChild(document.createTextNode(text));
    if (who === "bot") { bubble.appendChild(readButton(text)); }
    log.appendChild(bubble);
    scrollDown();
  }

  function disableOldButtons() {
    var old = log.querySelectorAll(".buttons button");
    for (var i = 0; i < old.length; i++) { old[i].disabled = true; }
  }

  function addButtons(buttons, enabled) {
    var group = document.createElement("div");
    group.className = "buttons";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", words.labelKnoppen);
    buttons.forEach(function (button) {
      var element = document.createElement("button");
      element.type = "button";
      element.textContent = button.title;
      element.disabled = !enabled;
      element.addEventListener("click", function () {
        send(button.payload, button.title);
      });
      group.appendChild(element);
    });
    log.appendChild(group);
    scrollDown();
  }

  function cardLine(card, field) {
    var value = card[field];
    if (field === "waar" && value && card.woonplaats) { value = value + ", " + card.woonplaats; }
    return value || "";
  }

  function addCard(list, card) {
    cardCount += 1;
    var item = document.createElement("li");
    item.className = "kaart";
    var article = document.createElement("article");
    var headingId = "kaart-" + cardCount;
    article.setAttribute("aria-labelledby", headingId);
    var heading = document.createElement("h3");
    heading.id = headingId;
    heading.textContent = card.naam;
    article.appendChild(heading);
    var spoken = [card.naam];
    if (card.beschrijving) {
      var what = document.createElement("p");
      what.className = "wat";
      what.textContent = card.beschrijving;
      article.appendChild(what);
      spoken.push(card.beschrijving);
    }
    var fields = document.createElement("ul");
    fields.className = "velden";
    (texts.velden || []).forEach(function (field) {
      var value = cardLine(card, field);
      if (!value) { return; }
      var line = document.createElement("li");
      var label = document.createElement("span");
      label.className = "label";
      label.textContent = texts.labels[field] + ": ";
      line.appendChild(label);
      line.appendChild(document.createTextNode(value));
      line.setAttribute("data-veld", field);
      fields.appendChild(line);
      spoken.push(texts.labels[field] + ": " + value);
    });
    article.appendChild(fields);
    if (card.link && /^https?:\/\//.test(card.link)) {
      var more = document.createElement("p");
      var link = document.createElement("a");
      link.href = card.link;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.className = "meer-info";
      link.textContent = texts.labels.link;
      var about = document.createElement("span");
      about.className = "visually-hidden";
      about.textContent = ": " + card.naam;
      link.appendChild(about);
      more.appendChild(link);
      article.appendChild(more);
    }
    article.appendChild(readButton(spoken.join(". ")));
    if (card.id && texts.melden) { article.appendChild(reportBox(card)); }
    item.appendChild(article);
    list.appendChild(item);
  }

  // --- "Klopt dit niet?": one question, the reason as a button; no text, nothing about the resident ---
  function reportBox(card) {
    var words = texts.melden;
    var box = document.createElement("div");
    box.className = "melden";
    var open = document.createElement("button");
    open.type = "button";
    open.className = "melden-open secondary";
    open.textContent = words.knop;
    open.setAttribute("aria-expanded", "false");
    var panel = document.createElement("div");
    panel.className = "melden-vraag";
    panel.hidden = true;
    var question = document.createElement("p");
    question.id = "melden-vraag-" + cardCount;
    question.textContent = words.vraag;
    panel.appendChild(question);
    var group = document.createElement("div");
    group.className = "melden-knoppen";
    group.setAttribute("role", "group");
    group.setAttribute("aria-labelledby", question.id);
    var answer = document.createElement("p");
    answer.className = "melden-antwoord";
    answer.setAttribute("role", "status");
    Object.keys(words.redenen || {}).forEach(function (code) {
      var choice = document.createElement("button");
      choice.type = "button";
      choice.textContent = words.redenen[code];
      choice.setAttribute("data-reden", code);
      choice.addEventListener("click", function () {
        var all = group.querySelectorAll("button");
        for (var i = 0; i < all.length; i++) { all[i].disabled = true; }
        postJson(endpoint + "/melding", { activiteit: card.id, reden: code }).then(function (result) {
          answer.textContent = result.body.message || words.niet_gelukt;
          if (result.ok) { panel.removeChild(group); open.hidden = true; }
          else { for (var j = 0; j < all.length; j++) { all[j].disabled = false; } }
        }).catch(function () {
          answer.textContent = words.niet_gelukt;
          for (var j = 0; j < all.length; j++) { all[j].disabled = false; }
        });
      });
      group.appendChild(choice);
    });
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "secondary";
    cancel.textContent = words.annuleren;
    cancel.addEventListener("click", function () {
      panel.hidden = true;
      open.setAttribute("aria-expanded", "false");
      open.focus();
    });
    group.appendChild(cancel);
    panel.appendChild(group);
    open.addEventListener("click", function () {
      var show = panel.hidden;
      panel.hidden = !show;
      open.setAttribute("aria-expanded", show ? "true" : "false");
      if (show) { group.querySelector("button").focus(); }
    });
    box.appendChild(open);
    box.appendChild(panel);
    box.appendChild(answer);
    return box;
  }

  function addPrintLink(ids) {
    var paragraph = document.createElement("p");
    paragraph.className = "print";
    var link = document.createElement("a");
    link.href = "print?ids=" + ids.map(encodeURIComponent).join(",");
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = texts.print_link;
    paragraph.appendChild(link);
    log.appendChild(paragraph);
  }

  function countLine(count) {
    return count === 1 ? texts.gevonden_een : texts.gevonden_meer.replace("{aantal}", String(count));
  }

  // One batch of bot messages; returns what the live region should say.
  function showMessages(messages, buttonsEnabled) {
    var spoken = [];
    var list = null;
    var ids = [];
    var found = 0;
    function closeList() {
      if (list) {
        spoken.push(countLine(found));
        if (ids.length) { addPrintLink(ids); }
      }
      list = null; ids = []; found = 0;
    }
    (messages || []).forEach(function (message) {
      if (message.card) {
        if (!list) {
          list = document.createElement("ul");
          list.className = "kaarten";
          list.setAttribute("aria-label", texts.lijst);
          log.appendChild(list);
        }
        addCard(list, message.card);
        if (message.card.id) { ids.push(message.card.id); }
        found += 1;
      } else {
        closeList();
        if (message.text) { addBubble("bot", message.text); spoken.push(message.text); }
      }
      if (message.buttons && message.buttons.length) {
        closeList();
        addButtons(message.buttons, buttonsEnabled);
      }
    });
    closeList();
    scrollDown();
    return spoken.join(" ");
  }

  function announce(text) {
    // Emptied first, so the same words are announced again.
    notice.textContent = "";
    window.setTimeout(function () { notice.textContent = text; }, 50);
  }

  function setPending(value) {
    pending = value;
    busy.hidden = !value;
    sendButton.disabled = value;
    log.setAttribute("aria-busy", value ? "true" : "false");
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, body: data }; });
    });
  }

  function send(message, shownAs) {
    if (pending) { return false; }
    errorBox.textContent = "";
    if (!message.trim()) { errorBox.textContent = words.tekstLeeg; input.focus(); return false; }
    if (message.length > maxChars) { errorBox.textContent = words.tekstTeLang; input.focus(); return false; }
    disableOldButtons();
    addBubble("user", shownAs || message);
    setPending(true);
    var body = { message: message };
    if (gemeente) { body.gemeente = gemeente; }
    postJson(endpoint, body).then(function (result) {
      if (result.body.messages) { announce(showMessages(result.body.messages, true)); }
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

  // --- the conversation so far (after a reload or on another page of the site) ---
  function showHistory(messages) {
    var batch = [];
    var lastBot = -1;
    messages.forEach(function (message, index) { if (message.from === "bot") { lastBot = index; } });
    messages.forEach(function (message, index) {
      if (message.from === "user") {
        if (batch.length) { showMessages(batch, false); batch = []; }
        addBubble("user", message.text || "");
      } else {
        batch.push(message);
        if (index === lastBot) {
          // Only the last reply's buttons can still be used.
          showMessages(batch, index === messages.length - 1);
          batch = [];
        }
      }
    });
    if (batch.length) { showMessages(batch, false); }
    if (messages.length) { announce(texts.geschiedenis); }
  }

  // A new conversation on a site that named its gemeente: the bot confirms it
  // before the resident types (the server sends the start, not the page).
  function startConversation() {
    if (!gemeente || pending) { return; }
    setPending(true);
    postJson(endpoint + "/start", { gemeente: gemeente }).then(function (result) {
      if (result.body.messages && result.body.messages.length) {
        announce(showMessages(result.body.messages, true));
      }
    }).catch(function () { /* the first message starts it as well */ }).then(function () {
      setPending(false);
    });
  }

  function loadHistory() {
    fetch(endpoint + "/geschiedenis", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { messages: [] }; })
      .then(function (body) {
        var messages = body.messages || [];
        showHistory(messages);
        if (!messages.length) { startConversation(); }
      })
      .catch(function () { /* an empty chat is fine */ });
  }

  function clearConversation() {
    if (pending) { return; }
    if (speech) { speech.cancel(); }
    postJson(endpoint + "/wissen", {}).then(function () {
      while (log.firstChild) { log.removeChild(log.firstChild); }
      errorBox.textContent = "";
      input.value = "";
      announce(texts.wissen_klaar);
      input.focus();
      startConversation();
    }).catch(function () {
      errorBox.textContent = words.tekstNetwerk;
    });
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

  clearButton.addEventListener("click", clearConversation);

  if (embedded && window.parent !== window) {
    // Inside the widget: Esc closes the panel (the host page listens), and the
    // panel asks for focus on the input when it opens.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { window.parent.postMessage({ welzijnswijzer: "sluiten" }, "*"); }
    });
    window.addEventListener("message", function (event) {
      if (event.source === window.parent && event.data && event.data.welzijnswijzer === "focus") {
        input.focus();
      }
    });
  }

  loadHistory();
})();
