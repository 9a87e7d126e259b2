// Live SMS part counter for the message text. It mirrors aescrm/messaging/segments.py
// (GSM-7 / UCS-2); the server's count, shown on the page and in the preview, is the one that counts.
(() => {
  const BASIC =
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
  const EXTENSION = "^{}\\[~]|€\f";

  function parts(widths, single, part) {
    const total = widths.reduce((a, b) => a + b, 0);
    if (total <= single) return widths.length ? 1 : 0;
    let count = 1;
    let used = 0;
    for (const w of widths) {
      if (used + w > part) {
        count += 1;
        used = 0;
      }
      used += w;
    }
    return count;
  }

  function segments(text) {
    const chars = Array.from(text.replace(/\r?\n/g, "\n"));
    const gsm = chars.every((c) => BASIC.includes(c) || EXTENSION.includes(c));
    const widths = gsm
      ? chars.map((c) => (EXTENSION.includes(c) ? 2 : 1))
      : chars.map((c) => (c.codePointAt(0) > 0xffff ? 2 : 1));
    const [single, part] = gsm ? [160, 153] : [70, 67];
    const n = parts(widths, single, part);
    const units = widths.reduce((a, b) => a + b, 0);
    const perPart = n <= 1 ? single : part;
    return { encoding: gsm ? "GSM-7" : "UCS-2", parts: n, remaining: n ? n * perPart - units : perPart };
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const area of document.querySelectorAll("textarea[data-sms-counter]")) {
      const out = document.getElementById(area.dataset.smsCounter);
      if (!out) continue;
      const update = () => {
        const s = segments(area.value.trim());
        out.querySelector("[data-sms-parts]").textContent = String(s.parts);
        out.querySelector("[data-sms-encoding]").textContent = s.encoding;
        out.querySelector("[data-sms-remaining]").textContent = String(s.remaining);
      };
      area.addEventListener("input", update);
    }
  });
})();
