/*! AES-CRM website widget: attribution capture and enquiry forms.
 * <script src="https://CRM/widget.js" data-clinic="PUBLIC_KEY" data-consent="denied" async></script>
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

  var queued = Array.isArray(api) ? api : [];
  api = w.AESCRM = {
    version: VERSION,
    endpoint: endpoint,
    consent: function (value) { var r = setConsent(value); attachAll(); refill(); return r; },
    touches: touches,
    attach: attach
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
})(window, document);
