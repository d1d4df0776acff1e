// Runs bot/web/static/chat.js in Node against the real web app: a tiny DOM with
// only what the script touches, and fetch with a cookie jar like a browser.
// Usage: node chat_page_harness.js <chat.js> <base URL>; prints a JSON report.
"use strict";
const fs = require("fs");
const vm = require("vm");

const [scriptPath, base] = process.argv.slice(2);

class Node_ {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.attributes = {};
    this.dataset = {};
    this.listeners = {};
    this.className = "";
    this.hidden = false;
    this.disabled = false;
    this.value = "";
    this.scrollTop = 0;
    this._text = "";
  }
  get textContent() { return this.children.length ? this.children.map((c) => c.textContent).join("") : this._text; }
  set textContent(value) { this.children = []; this._text = String(value); }
  get scrollHeight() { return 0; }
  appendChild(child) { this.children.push(child); child.parentNode = this; return child; }
  setAttribute(name, value) { this.attributes[name] = String(value); }
  getAttribute(name) { return name in this.attributes ? this.attributes[name] : null; }
  addEventListener(type, listener) { (this.listeners[type] = this.listeners[type] || []).push(listener); }
  dispatch(type, event) {
    const e = Object.assign({ defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } }, event);
    (this.listeners[type] || []).forEach((listener) => listener(e));
    return e;
  }
  requestSubmit() { this.dispatch("submit", {}); }
  focus() {}
  descendants() { return this.children.flatMap((c) => (c instanceof Node_ ? [c, ...c.descendants()] : [])); }
  querySelectorAll(selector) {
    if (selector !== ".buttons button") throw new Error("selector not in the harness: " + selector);
    return this.descendants().filter((n) => n.className === "buttons").flatMap((g) => g.children);
  }
}

const elements = {};
for (const [id, tag] of [["chatformulier", "form"], ["bericht", "textarea"], ["verstuur", "button"],
                         ["gesprek", "div"], ["bezig", "p"], ["fout", "p"], ["melding", "p"],
                         ["wissen", "button"]]) {
  elements[id] = new Node_(tag);
}
const form = elements.chatformulier;
form.setAttribute("data-endpoint", base + "/api/chat");
form.setAttribute("data-max", "1000");
Object.assign(form.dataset, { labelJij: "Jij:", labelBot: "Welzijnswijzer:", labelKnoppen: "Kies een antwoord",
  tekstLeeg: "LEEG", tekstTeLang: "TE_LANG", tekstNetwerk: "NETWERK",
  teksten: JSON.stringify({ lees_voor: "LEES", gevonden_een: "1", gevonden_meer: "{aantal}", labels: {} }) });

const document = {
  getElementById: (id) => elements[id],
  createElement: (tag) => new Node_(tag),
  createTextNode: (text) => ({ nodeType: 3, textContent: String(text) }),
};
let cookie = "";
const sentBodies = [];
async function browserFetch(url, options) {
  const headers = Object.assign({}, options.headers, cookie ? { Cookie: cookie } : {});
  if (options.body !== undefined) sentBodies.push(JSON.parse(options.body));
  const response = await fetch(url, Object.assign({}, options, { headers }));
  const setCookie = response.headers.get("set-cookie");
  if (setCookie) cookie = setCookie.split(";")[0];
  return response;
}

vm.runInNewContext(fs.readFileSync(scriptPath, "utf8"),
  { document, fetch: browserFetch, Event: class { constructor(t) { this.type = t; } }, console,
    window: { setTimeout } });

const log = elements.gesprek;
const input = elements.bericht;
const settle = () => new Promise((resolve) => {
  const check = () => (elements.bezig.hidden ? resolve() : setTimeout(check, 20));
  setTimeout(check, 20);
});
const bubbles = () => log.children.filter((n) => n.className.startsWith("bubble"))
  .map((n) => ({ who: n.className.split(" ")[1], text: n.children[1].textContent, isTextNode: n.children[1].nodeType === 3 }));
const buttonGroups = () => log.children.filter((n) => n.className === "buttons");

async function type(text) {
  input.value = text;
  input.dispatch("keydown", { key: "Enter", shiftKey: false, isComposing: false });
  await settle();
}

(async () => {
  const report = {};
  await type("vraag");
  const group = buttonGroups()[0];
  report.buttons = group.children.map((b) => ({ text: b.textContent, type: b.type }));
  report.groupLabel = group.getAttribute("aria-label");
  group.children[0].dispatch("click", {});
  await settle();
  report.oldButtonsDisabled = group.children.every((b) => b.disabled);
  await type("<b>vet</b>");
  report.tooLongKept = await (async () => {
    await type("x".repeat(1001));
    return { error: elements.fout.textContent, value: input.value.length };
  })();
  await type("   ");
  report.emptyError = elements.fout.textContent;
  report.bubbles = bubbles();
  report.sent = sentBodies;
  report.inputAfter = input.value;
  console.log(JSON.stringify(report));
})().catch((error) => { console.error(error); process.exit(1); });
