/*! AES-CRM website widget: attribution capture, enquiry forms and the chat.
 * <script src="https://CRM/widget.js" data-clinic="PUBLIC_KEY" data-consent="denied" async></script>
 * Add data-chat="on" (or call AESCRM.chat.open()) to offer the clinic's assistant.
 * No dependencies, no requests to anyone but AES-CRM, nothing stored beyond the
 * session without marketing consent. */
(function (w, d) {
  "use strict";
  var api = w.AESCRM;
  if (api && api.version) return; // loaded twice: keep the first

  var VERSION = "1";
  var KEY_STORE = "aescrm_touches";
  var TTL = 90 * 864e5; // 90 days
  var PARAMS = ["gclid", "gbraid", "wbraid", "fbclid", "msclkid", "ttclid",
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];
  var MAX_VALUE = 500; // the CRM's limits: click ids 500, UTM values 255
  var MAX_UTM = 255;
  var MAX_URL = 2000;
  var HONEYPOT = "website";

  var script = d.currentScript || (function () {
    var all = d.querySelectorAll("script[data-clinic]");
    return all[all.length - 1];
  })();
  var clinic = script ? script.getAttribute("data-clinic") || "" : "";
  var origin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var endpoint = origin + "/public/v1/" + encodeURIComponent(clinic) + "/enquiries";
  // true: granted; false: denied; null: not asked yet (a consent tool may answer later).
  var consent = consentValue(script && script.getAttribute("data-consent"));
  var memory = {}; // used when the browser refuses storage

  function consentValue(value) {
    value = String(value || "").toLowerCase();
    return value === "granted" ? true : value === "denied" ? false : null;
  }

  function now() { return Date.now(); }

  function storage(kind) {
    try {
      var s = w[kind];
      s.setItem("aescrm_probe", "1");
      s.removeItem("aescrm_probe");
      return s;
    } catch (e) { return null; }
  }

  function load(kind) {
    var s = storage(kind);
    var raw = s ? s.getItem(KEY_STORE) : memory[kind];
    try { return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  }

  function save(kind, value) {
    var s = storage(kind);
    var raw = value ? JSON.stringify(value) : null;
    if (!s) { memory[kind] = raw; return; }
    try {
      if (raw) s.setItem(KEY_STORE, raw); else s.removeItem(KEY_STORE);
    } catch (e) { memory[kind] = raw; }
  }

  // Decode once; a malformed escape is kept as it came rather than lost.
  function decode(value) {
    try { return decodeURIComponent(value.replace(/\+/g, " ")); } catch (e) { return value; }
  }

  function clip(value, limit) {
    value = String(value == null ? "" : value).replace(/^\s+|\s+$/g, "");
    return value.length > limit ? value.slice(0, limit) : value;
  }

  // Query parameters of the address and of its fragment (#/page?utm_source=… or
  // #utm_source=…); names are matched in any case; the first of a repeated one wins.
  function readParams(href) {
    var found = {};
    var hashAt = href.indexOf("#");
    var main = hashAt < 0 ? href : href.slice(0, hashAt);
    var fragment = hashAt < 0 ? "" : href.slice(hashAt + 1);
    var parts = [];
    var q = main.indexOf("?");
    if (q >= 0) parts.push(main.slice(q + 1));
    if (fragment) {
      var fq = fragment.indexOf("?");
      parts.push(fq >= 0 ? fragment.slice(fq + 1) : fragment);
    }
    for (var p = 0; p < parts.length; p++) {
      var pairs = parts[p].split("&");
      for (var i = 0; i < pairs.length; i++) {
        var eq = pairs[i].indexOf("=");
        if (eq <= 0) continue;
        var name = decode(pairs[i].slice(0, eq)).toLowerCase();
        if (PARAMS.indexOf(name) < 0 || found.hasOwnProperty(name)) continue;
        var value = clip(decode(pairs[i].slice(eq + 1)), name.indexOf("utm_") === 0 ? MAX_UTM : MAX_VALUE);
        if (value) found[name] = value;
      }
    }
    return found;
  }

  function cookie(name) {
    var items = d.cookie ? d.cookie.split(";") : [];
    for (var i = 0; i < items.length; i++) {
      var item = items[i].replace(/^\s+/, "");
      if (item.indexOf(name + "=") === 0) return clip(decode(item.slice(name.length + 1)), MAX_VALUE);
    }
    return "";
  }

  // Meta's click and browser ids: their cookies when the pixel set them, else
  // fbc built from the fbclid as Meta specifies (fb.1.<ms>.<fbclid>).
  function addMeta(touch) {
    var fbc = cookie("_fbc");
    var fbp = cookie("_fbp");
    if (fbc && !touch.fbc) touch.fbc = fbc;
    if (fbp && !touch.fbp) touch.fbp = fbp;
    if (touch.fbclid && !touch.fbc) touch.fbc = "fb.1." + touch.occurred_at + "." + touch.fbclid;
    return touch;
  }

  function externalReferrer() {
    var ref = d.referrer;
    if (!ref) return "";
    try {
      var host = new URL(ref).hostname.replace(/^www\./, "");
      if (host === location.hostname.replace(/^www\./, "")) return "";
    } catch (e) { return ""; }
    return clip(ref, MAX_URL);
  }

  function fresh(touch) {
    return touch && typeof touch.occurred_at === "number" && now() - touch.occurred_at < TTL;
  }

  function marked(touch) {
    if (!touch) return null;
    var copy = {};
    for (var k in touch) if (touch.hasOwnProperty(k)) copy[k] = touch[k];
    // true or false: the site's answer; null: no answer (sent as unknown).
    copy.marketing_consent = consent;
    return copy;
  }

  function read() {
    var kept = (consent === true && load("localStorage")) || load("sessionStorage") || {};
    return { first: fresh(kept.first) ? kept.first : null, last: fresh(kept.last) ? kept.last : null };
  }

  function write(state) {
    state = { first: marked(state.first), last: marked(state.last) };
    save("sessionStorage", state);
    // Without marketing consent nothing outlives the session; a refusal also
    // forgets what an earlier consent kept.
    if (consent === true) save("localStorage", state);
    else if (consent === false) save("localStorage", null);
    return state;
  }

  // This visit is a new touch when it carries campaign parameters or comes from
  // another site; a visitor's first page is always one.
  function capture() {
    var state = read();
    var params = readParams(location.href);
    var referrer = externalReferrer();
    var campaign = false;
    for (var k in params) if (params.hasOwnProperty(k)) campaign = true;
    if (campaign || referrer || !state.first) {
      var touch = params;
      touch.landing_page = clip(location.href, MAX_URL);
      if (referrer) touch.referrer = referrer;
      touch.occurred_at = now();
      addMeta(touch);
      if (!state.first) state.first = touch;
      state.last = touch;
    }
    return write(state);
  }

  var state = capture();

  function copyOf(touch) { return touch ? JSON.parse(JSON.stringify(touch)) : null; }

  function touches() {
    // Meta's pixel may set its cookies after this script ran: pick them up late.
    if (state.last) addMeta(state.last);
    return { first: copyOf(state.first), last: copyOf(state.last || state.first) };
  }

  function setConsent(value) {
    consent = consentValue(value);
    if (consent === true) {
      // Granted again: an earlier first touch kept with consent still comes first.
      var kept = load("localStorage") || {};
      if (fresh(kept.first) && (!state.first || kept.first.occurred_at < state.first.occurred_at)) {
        state.first = kept.first;
      }
    }
    state = write(state);
    return consent === true;
  }

  // ---- forms ---------------------------------------------------------------

  function hidden(form, name, value) {
    var input = null;
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (el.name === name && el.getAttribute("data-aescrm") !== null) { input = el; break; }
    }
    if (value === null || value === undefined || value === "") {
      if (input) input.parentNode.removeChild(input);
      return;
    }
    if (!input) {
      input = d.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.setAttribute("data-aescrm", "");
      form.appendChild(input);
    }
    input.value = String(value);
  }

  function fill(form) {
    var t = touches();
    var names = PARAMS.concat(["fbc", "fbp", "landing_page", "referrer", "occurred_at", "marketing_consent"]);
    var pos = ["first_touch", "last_touch"];
    for (var p = 0; p < pos.length; p++) {
      var touch = t[pos[p] === "first_touch" ? "first" : "last"] || {};
      for (var i = 0; i < names.length; i++) {
        var v = touch[names[i]];
        hidden(form, pos[p] + "." + names[i], typeof v === "boolean" ? String(v) : v);
      }
    }
    if (!own(form, "consent_wording")) hidden(form, "consent_wording", consentWording(form));
  }

  function own(form, name) {
    var els = form.querySelectorAll("[name='" + name + "']");
    for (var i = 0; i < els.length; i++) if (els[i].getAttribute("data-aescrm") === null) return els[i];
    return null;
  }

  // The words next to the consent boxes, kept by the clinic as evidence.
  function consentWording(form) {
    var texts = [];
    var boxes = form.querySelectorAll("input[type=checkbox][name^='consent.']");
    for (var i = 0; i < boxes.length; i++) {
      var label = boxes[i].closest("label") || (boxes[i].id && form.querySelector("label[for='" + boxes[i].id + "']"));
      var text = label ? clip(label.textContent.replace(/\s+/g, " "), 1000) : "";
      if (text && texts.indexOf(text) < 0) texts.push(text);
    }
    var extra = form.getAttribute("data-consent-wording");
    if (extra) texts.unshift(extra);
    return texts.join(" | ");
  }

  function honeypot(form) {
    if (form.querySelector("[name='" + HONEYPOT + "']")) return;
    var wrap = d.createElement("div");
    wrap.setAttribute("aria-hidden", "true");
    wrap.style.position = "absolute";
    wrap.style.left = "-10000px";
    wrap.style.width = "1px";
    wrap.style.height = "1px";
    wrap.style.overflow = "hidden";
    var input = d.createElement("input");
    input.type = "text";
    input.name = HONEYPOT;
    input.tabIndex = -1;
    input.autocomplete = "off";
    input.setAttribute("data-aescrm", "");
    wrap.appendChild(input);
    form.appendChild(wrap);
  }

  function newKey() {
    if (w.crypto && w.crypto.randomUUID) return w.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    (w.crypto || w.msCrypto).getRandomValues(bytes);
    var s = "";
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] + 256).toString(16).slice(1);
    return s;
  }

  function status(form, text, ok) {
    var box = form.querySelector("[data-aescrm-message]");
    if (!box) {
      box = d.createElement("p");
      box.setAttribute("data-aescrm-message", "");
      form.appendChild(box);
    }
    box.setAttribute("role", ok ? "status" : "alert");
    box.className = ok ? "aescrm-success" : "aescrm-error";
    box.textContent = text;
  }

  function markInvalid(form, problem) {
    var old = form.querySelectorAll("[aria-invalid=true]");
    for (var i = 0; i < old.length; i++) old[i].removeAttribute("aria-invalid");
    var errors = (problem && problem.errors) || [];
    for (var j = 0; j < errors.length; j++) {
      var field = form.elements[errors[j].field];
      if (field && field.setAttribute) {
        field.setAttribute("aria-invalid", "true");
        if (j === 0 && field.focus) field.focus();
      }
    }
  }

  var MESSAGES = {
    ok: "Thank you. Your enquiry has been sent and the clinic will be in touch soon.",
    network: "Sorry, your enquiry could not be sent. Please check your connection and try again.",
    busy: "Sorry, we are receiving a lot of enquiries. Please try again in a minute.",
    failed: "Sorry, your enquiry could not be sent. Please try again."
  };

  function submit(form, event) {
    fill(form);
    hidden(form, "fill_ms", now() - form._aescrmRendered);
    hidden(form, "sent_at", now()); // lets the CRM correct touch times for a wrong clock
    if (!w.fetch || !w.URLSearchParams || !w.FormData) return; // the plain post still works
    event.preventDefault();
    if (form.getAttribute("data-aescrm-busy")) return;
    var body = new URLSearchParams();
    var data = new FormData(form);
    data.forEach(function (value, name) { if (typeof value === "string") body.append(name, value); });
    var button = form.querySelector("[type=submit]");
    form.setAttribute("data-aescrm-busy", "true");
    if (button) button.disabled = true;
    var done = function () {
      form.removeAttribute("data-aescrm-busy");
      if (button) button.disabled = false;
    };
    w.fetch(endpoint, {
      method: "POST",
      mode: "cors",
      credentials: "omit",
      headers: { "Accept": "application/json", "Idempotency-Key": form._aescrmKey },
      body: body
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        done();
        if (response.ok) {
          form._aescrmKey = newKey(); // a new enquiry from now on
          form.reset();
          markInvalid(form, null);
          status(form, form.getAttribute("data-success-message") || MESSAGES.ok, true);
          form.dispatchEvent(new CustomEvent("aescrm:sent", { bubbles: true, detail: json }));
        } else {
          markInvalid(form, json);
          status(form, response.status === 429 ? MESSAGES.busy : (json.detail ? "Please check the form: " + json.detail : MESSAGES.failed), false);
        }
      });
    }, function () {
      done();
      status(form, MESSAGES.network, false); // same key: a retry cannot send it twice
    });
  }

  function attach(form) {
    if (!form || form._aescrmRendered) return;
    form._aescrmRendered = now();
    form._aescrmKey = newKey();
    form.setAttribute("action", endpoint);
    form.setAttribute("method", "post");
    honeypot(form);
    hidden(form, "rendered_at", form._aescrmRendered);
    fill(form);
    form.addEventListener("submit", function (event) { submit(form, event); });
  }

  function attachAll() {
    var forms = d.querySelectorAll("form[data-aescrm-form]");
    for (var i = 0; i < forms.length; i++) attach(forms[i]);
  }

  // ---- chat ----------------------------------------------------------------
  // In a shadow root, styled only through a constructed stylesheet and CSSOM, so
  // neither the clinic's CSS nor a strict Content-Security-Policy can break it.

  var CHAT_KEY = "aescrm_chat";
  var POLL_MS = 4000;
  var chatBase = origin + "/public/v1/" + encodeURIComponent(clinic);
  var CHAT_TEXT = {
    network: "Sorry, your message could not be sent. Please check your connection and try again.",
    busy: "Sorry, that was a lot of messages at once. Please try again in ",
    failed: "Sorry, your message could not be sent. Please try again.",
    handoff: "A member of the team will reply here.",
    team: "Clinic team",
    replying: "Assistant is replying"
  };
  var CSS = ":host{all:initial}" +
    ".w{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1b1b1b}" +
    ".w *{box-sizing:border-box;font:inherit;color:inherit;margin:0;letter-spacing:normal;text-transform:none}" +
    "[hidden]{display:none!important}button{cursor:pointer}" +
    ":focus-visible{outline:3px solid #1d70b8;outline-offset:2px}" +
    ".l{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:999px;padding:12px 22px;background:var(--c);color:var(--t);font-weight:600;box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
    ".p{position:fixed;right:20px;bottom:84px;z-index:2147483001;width:380px;max-width:calc(100vw - 40px);height:580px;max-height:calc(100vh - 104px);display:flex;flex-direction:column;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden;animation:in .2s ease-out}" +
    ".h{display:flex;align-items:center;gap:8px;padding:12px 14px;background:var(--c);color:var(--t)}" +
    ".h div{flex:1;min-width:0}.h b{display:block;font-weight:700}.h span{font-size:13px}" +
    ".x{border:0;background:none;font-size:24px;line-height:1;padding:6px 10px;border-radius:6px}" +
    ".g{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f4f5f6}" +
    ".d{font-size:13px;color:#3d4247;background:#fff;border:1px solid #d5d9de;border-radius:8px;padding:8px 10px}" +
    ".d a{color:#1d4f91;text-decoration:underline}" +
    ".m{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;animation:in .2s ease-out}" +
    ".a{align-self:flex-start;background:#fff;border:1px solid #d5d9de}" +
    ".s{align-self:flex-start;background:#fff7e0;border:1px solid #e3cb85}" +
    ".v{align-self:flex-end;background:var(--c);color:var(--t)}" +
    ".n{display:block;font-size:12px;font-weight:700}" +
    ".o{font-size:13px;text-align:center;color:#3d4247}" +
    ".y{display:flex;gap:4px;padding:12px}.y i{width:7px;height:7px;border-radius:50%;background:#6b7178;animation:b 1s infinite}" +
    ".y i+i{animation-delay:.15s}.y i+i+i{animation-delay:.3s}" +
    ".q{display:flex;flex-wrap:wrap;gap:6px;padding:8px 12px;background:#f4f5f6}" +
    ".q button{min-height:40px;padding:6px 12px;border:2px solid var(--c);border-radius:999px;background:#fff;font-size:14px}" +
    ".e{color:#a4161a;font-size:14px;padding:6px 12px 0}.e:empty{display:none}" +
    ".c{font-size:13px;color:#3d4247;padding:0 12px 6px;text-align:right}" +
    ".f{display:flex;gap:8px;padding:10px 12px;border-top:1px solid #d5d9de;background:#fff}" +
    ".f input{flex:1;min-width:0;font-size:16px;padding:9px 10px;border:1px solid #7a8189;border-radius:8px;background:#fff;color:#1b1b1b}" +
    ".f button{border:0;border-radius:8px;padding:9px 16px;background:var(--c);color:var(--t);font-size:16px;font-weight:600}" +
    ".r{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    "@keyframes in{from{opacity:0;transform:translateY(6px)}}@keyframes b{0%,80%,100%{opacity:.3}40%{opacity:1}}" +
    "@media (max-width:480px){.p{inset:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}.l{right:12px;bottom:12px}.p:not([hidden])+.l{display:none}}" +
    "@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}";

  var cfg = null;
  var cfgLoad = null;
  var ui = null;
  var isOpen = false;
  var busy = false;
  var staffMode = false;
  var lastSeq = 0;
  var shown = {};
  var pollTimer = null;
  var polling = false;
  var chatReady = !!(w.fetch && w.Promise && w.ShadowRoot && w.CSSStyleSheet &&
    "adoptedStyleSheets" in w.ShadowRoot.prototype && "replaceSync" in w.CSSStyleSheet.prototype);

  function el(tag, cls, text, attributes) {
    var e = d.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    for (var k in attributes || {}) if (attributes.hasOwnProperty(k)) e.setAttribute(k, attributes[k]);
    return e;
  }

  function call(path, options) {
    options = options || {};
    options.mode = "cors";
    options.credentials = "omit";
    options.headers = options.headers || {};
    options.headers.Accept = "application/json";
    return w.fetch(chatBase + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, ok: response.ok, json: json || {}, headers: response.headers };
      });
    });
  }

  // The visitor's chat lasts as long as the browser tab, like the session it names.
  function chatSession(value) {
    var s = storage("sessionStorage");
    if (value === undefined) return (s && s.getItem(CHAT_KEY)) || memory.chat || "";
    memory.chat = value;
    try { if (value) s.setItem(CHAT_KEY, value); else s.removeItem(CHAT_KEY); } catch (e) { /* memory holds it */ }
  }

  function loadConfig() {
    if (!cfgLoad) {
      cfgLoad = call("/assistant").then(function (r) {
        cfg = r.ok && r.json.enabled === true ? r.json : null;
        return cfg;
      }, function () { cfgLoad = null; return null; }); // offline: try again next time
    }
    return cfgLoad;
  }

  // White or near-black text on the clinic's colour, whichever reads better.
  function textOn(hex) {
    var weights = [0.2126, 0.7152, 0.0722];
    var lum = 0;
    for (var i = 0; i < 3; i++) {
      var c = parseInt(hex.substr(1 + 2 * i, 2), 16) / 255;
      lum += weights[i] * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
    }
    return 1.05 / (lum + 0.05) >= (lum + 0.05) / 0.0552 ? "#fff" : "#111";
  }

  function webAddress(value) {
    try {
      var u = new URL(String(value || ""));
      return /^https?:$/.test(u.protocol) ? u.href : "";
    } catch (e) { return ""; }
  }

  function build() {
    if (ui) return;
    var name = clip(cfg.clinic_name, 120) || "the clinic";
    var colour = /^#[0-9a-f]{6}$/i.test(cfg.colour || "") ? cfg.colour : "#0f5c6e";
    var max = Math.min(Math.max(parseInt(cfg.max_message_chars, 10) || 1000, 1), 10000);
    var host = d.createElement("aescrm-chat");
    host.style.setProperty("all", "initial", "important");
    host.style.setProperty("--c", colour);
    host.style.setProperty("--t", textOn(colour));
    var root = host.attachShadow({ mode: "open" });
    var sheet = new w.CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];

    var u = ui = { host: host, max: max, assistant: clip(cfg.assistant_name, 60) || "Assistant" };
    var wrap = el("div", "w");
    u.panel = el("div", "p", "", { id: "aescrm-chat-panel", role: "dialog", "aria-modal": "false",
      "aria-label": "Chat with " + name });
    u.panel.hidden = true;
    var head = el("div", "h");
    var title = el("div");
    title.appendChild(el("b", "", name));
    title.appendChild(el("span", "", u.assistant));
    var closer = el("button", "x", "\u00d7", { type: "button", "aria-label": "Close chat" });
    head.appendChild(title);
    head.appendChild(closer);
    u.log = el("div", "g", "", { role: "log", "aria-live": "polite", "aria-label": "Conversation" });
    // What the visitor is talking to and how their words are used, before they say anything.
    var note = el("p", "d", clip(cfg.disclosure, 1000));
    var privacy = webAddress(cfg.privacy_notice_url);
    if (privacy) {
      note.appendChild(d.createTextNode(" "));
      var link = el("a", "", "Privacy notice", { href: privacy, target: "_blank", rel: "noopener noreferrer" });
      link.appendChild(el("span", "r", " (opens in a new tab)"));
      note.appendChild(link);
    }
    u.log.appendChild(note);
    u.typing = el("div", "m a y", "", { "aria-hidden": "true" });
    for (var i = 0; i < 3; i++) u.typing.appendChild(el("i"));
    u.status = el("p", "r", "", { role: "status" });
    u.quick = el("div", "q", "", { role: "group", "aria-label": "Suggested replies" });
    u.error = el("p", "e", "", { role: "alert" });
    u.count = el("p", "c", "", { id: "aescrm-chat-count" });
    var form = el("form", "f");
    u.input = el("input", "", "", { id: "aescrm-chat-input", type: "text", maxlength: String(max),
      autocomplete: "off", enterkeyhint: "send", "aria-describedby": "aescrm-chat-count" });
    form.appendChild(el("label", "r", "Your message", { "for": "aescrm-chat-input" }));
    form.appendChild(u.input);
    form.appendChild(el("button", "", "Send", { type: "submit" }));
    var parts = [head, u.log, u.status, u.quick, u.error, u.count, form];
    for (var p = 0; p < parts.length; p++) u.panel.appendChild(parts[p]);
    u.launcher = el("button", "l", "Chat", { type: "button", "aria-label": "Chat with " + name,
      "aria-expanded": "false", "aria-controls": "aescrm-chat-panel" });
    wrap.appendChild(u.panel);
    wrap.appendChild(u.launcher);
    root.appendChild(wrap);

    u.launcher.addEventListener("click", function () { if (isOpen) hide(); else show(); });
    closer.addEventListener("click", hide);
    root.addEventListener("keydown", function (e) {
      if ((e.key === "Escape" || e.key === "Esc") && isOpen) { e.preventDefault(); hide(); }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); sendText(u.input.value, true); });
    u.input.addEventListener("input", function () { u.error.textContent = ""; count(); });
    d.addEventListener("visibilitychange", schedule);
    count();
    d.body.appendChild(host);
    restore();
  }

  function count() {
    var left = ui.max - ui.input.value.length;
    ui.count.hidden = left > Math.max(20, Math.round(ui.max / 10));
    ui.count.textContent = left === 1 ? "1 character left" : left + " characters left";
  }

  function greet() {
    if (cfg.greeting) add("assistant", clip(cfg.greeting, 1000));
    quickReplies(cfg.quick_replies);
  }

  // Back on another page of the site: show the conversation so far.
  function restore() {
    var id = chatSession();
    if (!id) { greet(); return; }
    busy = true;
    call("/chat/" + encodeURIComponent(id) + "/messages?after=0").then(function (r) {
      busy = false;
      if (!r.ok) { if (r.status === 404) chatSession(""); greet(); return; }
      messages(r.json.messages, true);
      handoff(!!(r.json.handoff || r.json.mode === "staff"));
    }, function () { busy = false; greet(); });
  }

  function add(speaker, text, seq) {
    var cls = speaker === "visitor" ? "v" : speaker === "staff" ? "s" : "a";
    var who = speaker === "visitor" ? "You" : speaker === "staff" ? CHAT_TEXT.team : ui.assistant;
    var m = el("div", "m " + cls);
    // Staff are named on screen; everyone is named to screen readers.
    m.appendChild(el("span", speaker === "staff" ? "n" : "r", speaker === "staff" ? who : who + ": "));
    m.appendChild(d.createTextNode(String(text)));
    if (seq) shown[seq] = true;
    ui.log.insertBefore(m, ui.typing.parentNode ? ui.typing : null);
    ui.log.scrollTop = ui.log.scrollHeight;
    return m;
  }

  function messages(list, all) {
    list = Array.isArray(list) ? list : [];
    for (var i = 0; i < list.length; i++) {
      var m = list[i] || {};
      var seq = parseInt(m.seq, 10) || 0;
      if (seq > lastSeq) lastSeq = seq;
      // The visitor's own words are already on screen unless the page was reloaded.
      if (shown[seq] || !m.text || (m.speaker === "visitor" && !all)) continue;
      add(m.speaker, m.text, seq);
    }
  }

  function quickReplies(list) {
    ui.quick.textContent = "";
    list = ui.offered = Array.isArray(list) ? list : [];
    for (var i = 0; i < list.length && i < 8; i++) {
      var text = clip(list[i], 100);
      if (!text) continue;
      var b = el("button", "", text, { type: "button" });
      b.addEventListener("click", (function (t) {
        return function () { ui.input.focus(); sendText(t, false); };
      })(text));
      ui.quick.appendChild(b);
    }
    ui.quick.hidden = !ui.quick.firstChild;
  }

  function waiting(on) {
    if (on) ui.log.appendChild(ui.typing);
    else if (ui.typing.parentNode) ui.log.removeChild(ui.typing);
    ui.status.textContent = on ? CHAT_TEXT.replying : "";
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function handoff(on) {
    if (on && !staffMode) {
      ui.log.appendChild(el("p", "o", CHAT_TEXT.handoff));
      ui.log.scrollTop = ui.log.scrollHeight;
    }
    staffMode = on;
    schedule();
  }

  // Staff replies arrive by polling, only while someone can see them.
  function schedule() {
    clearTimeout(pollTimer);
    pollTimer = null;
    if (staffMode && isOpen && !d.hidden && !polling && chatSession()) pollTimer = setTimeout(poll, POLL_MS);
  }

  function poll() {
    polling = true;
    var done = function () { polling = false; schedule(); };
    call("/chat/" + encodeURIComponent(chatSession()) + "/messages?after=" + lastSeq).then(function (r) {
      if (r.status === 404) { staffMode = false; chatSession(""); }
      if (r.ok) {
        messages(r.json.messages, false);
        staffMode = !!(r.json.handoff || r.json.mode === "staff");
      }
      done();
    }, done);
  }

  function retryText(value) {
    var seconds = parseInt(value, 10);
    if (isNaN(seconds)) seconds = Math.ceil((Date.parse(value) - now()) / 1000);
    if (!(seconds > 0)) seconds = 60;
    return CHAT_TEXT.busy + (seconds === 1 ? "1 second." : seconds + " seconds.");
  }

  function sendText(text, typed) {
    text = clip(text, ui.max);
    if (!text || busy) return Promise.resolve(false);
    busy = true;
    ui.error.textContent = "";
    if (typed) { ui.input.value = ""; count(); }
    var offered = ui.offered;
    ui.quick.textContent = "";
    ui.quick.hidden = true;
    var bubble = add("visitor", text);
    var wasStaff = staffMode;
    waiting(true);
    var t = touches();
    var body = { message: text, attribution: { first_touch: t.first, last_touch: t.last } };
    var id = chatSession();
    if (id) body.session_id = id;
    var failed = function (r) {
      busy = false;
      waiting(false);
      // Nothing was said: take the words back off the transcript and give them back.
      ui.log.removeChild(bubble);
      quickReplies(offered);
      if (!ui.input.value) { ui.input.value = text; count(); }
      ui.error.textContent = !r ? CHAT_TEXT.network : r.status === 429 ? retryText(r.headers.get("Retry-After")) :
        r.status === 422 && r.json.detail ? String(r.json.detail) : CHAT_TEXT.failed;
      ui.input.focus();
      return false;
    };
    return call("/chat", {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) return failed(r);
      busy = false;
      waiting(false);
      var a = r.json;
      var seq = parseInt(a.seq, 10) || 0;
      if (a.session_id) chatSession(String(a.session_id));
      if (a.reply && !shown[seq]) add("assistant", a.reply, seq);
      // While staff answer, polling moves on from the last message it saw, so none is skipped.
      if (!wasStaff && seq > lastSeq) lastSeq = seq;
      quickReplies(a.quick_replies);
      handoff(!!a.handoff || a.mode === "staff");
      ui.host.dispatchEvent(new CustomEvent("aescrm:chat", { bubbles: true, detail: {
        reply: a.reply || "", quick_replies: a.quick_replies || [], handoff: !!a.handoff } }));
      return true;
    }, function () { return failed(null); });
  }

  function show() {
    if (!isOpen) {
      isOpen = true;
      ui.panel.hidden = false;
      ui.launcher.setAttribute("aria-expanded", "true");
      ui.log.scrollTop = ui.log.scrollHeight;
      schedule();
    }
    ui.input.focus();
  }

  function hide() {
    if (!ui || !isOpen) return;
    isOpen = false;
    ui.panel.hidden = true;
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
    schedule();
  }

  // Resolves true once the chat is on the page (and open, if asked), false when
  // the clinic has it switched off or this browser cannot show it safely.
  function startChat(open) {
    if (!chatReady || !clinic) return w.Promise ? Promise.resolve(false) : null;
    return loadConfig().then(function (c) {
      if (!c) return false;
      return new Promise(function (resolve) {
        var go = function () { build(); if (open) show(); resolve(true); };
        if (d.body) go(); else d.addEventListener("DOMContentLoaded", go);
      });
    });
  }

  var chatApi = {
    open: function () { return startChat(true); },
    close: hide,
    send: function (text) {
      var started = startChat(true);
      return started && started.then(function (ok) { return ok && sendText(text, false); });
    }
  };

  var queued = Array.isArray(api) ? api : [];
  api = w.AESCRM = {
    version: VERSION,
    endpoint: endpoint,
    consent: function (value) { var r = setConsent(value); attachAll(); refill(); return r; },
    touches: touches,
    attach: attach,
    chat: chatApi
  };

  function refill() {
    var forms = d.querySelectorAll("form[data-aescrm-form]");
    for (var i = 0; i < forms.length; i++) if (forms[i]._aescrmRendered) fill(forms[i]);
  }

  // Calls made before the script loaded: window.AESCRM = [["consent", "granted"]].
  for (var q = 0; q < queued.length; q++) {
    var call = queued[q];
    if (call && typeof api[call[0]] === "function") api[call[0]].apply(null, call.slice(1));
  }

  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", attachAll);
  else attachAll();

  // Tell the CRM the widget is on this site (the clinic's onboarding checklist): one
  // bodiless post per page, nothing stored, no answer read.
  if (clinic && w.fetch) {
    w.fetch(chatBase + "/seen", { method: "POST", mode: "no-cors", credentials: "omit", keepalive: true })
      .catch(function () {});
  }

  // The chat is offered only on pages that ask for it.
  if (script && script.getAttribute("data-chat") === "on") startChat(false);
})(window, document);
