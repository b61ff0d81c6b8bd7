// Nothing typed is lost: forms marked data-draft keep what is typed in this browser on every
// keystroke and on the server every few seconds, and bring it back when the form is opened
// again, even after the session expired and the user signed in again.
//
// Nothing typed is left readable at a shared computer either. The copy in this browser is
// encrypted (AES-GCM, in the browser's own Web Crypto) with a key the server gives only to the
// pages of the signed-in user (body data-draft-secret); even its name is a hash. Once the
// session ends or expires, the pages have no key, so the next person at the computer finds
// nothing they can read; the same person signing in again gets their key back, and their
// typing. Signing out removes every draft from this browser (the server keeps its copy, for
// its owner only). A browser without Web Crypto keeps no copy of its own: the server's only.
(function () {
  "use strict";

  var SYNC_MS = 3000;
  var PREFIX = "cairn-draft:";
  var VERSION = PREFIX + "v2:";
  var MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000; // a copy older than a fortnight is dropped
  var secret = document.body.getAttribute("data-draft-secret") || "";
  var subtle = window.crypto && window.crypto.subtle;
  var cryptoKey = null;

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function bytes(hex) {
    var out = new Uint8Array(hex.length / 2);
    for (var i = 0; i < out.length; i++) { out[i] = parseInt(hex.substr(i * 2, 2), 16); }
    return out;
  }

  function toBase64(buffer) {
    var text = "";
    new Uint8Array(buffer).forEach(function (b) { text += String.fromCharCode(b); });
    return window.btoa(text);
  }

  function fromBase64(text) {
    var raw = window.atob(text);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { out[i] = raw.charCodeAt(i); }
    return out;
  }

  function ready() {
    if (!secret || !subtle || !storage()) { return Promise.resolve(null); }
    if (cryptoKey) { return cryptoKey; }
    cryptoKey = subtle.importKey("raw", bytes(secret), "AES-GCM", false, ["encrypt", "decrypt"])
      .catch(function () { return null; });
    return cryptoKey;
  }

  // The stored name of a form's draft: a hash of the user's key and the form, so the names
  // say nothing of which child's record was being written about.
  function storageKey(key) {
    return subtle.digest("SHA-256", new TextEncoder().encode(secret + "\n" + key))
      .then(function (hash) { return VERSION + toBase64(hash); });
  }

  function read(key) {
    return ready().then(function (aes) {
      if (!aes) { return null; }
      return storageKey(key).then(function (name) {
        var stored = JSON.parse(storage().getItem(name) || "null");
        if (!stored || !stored.iv || !stored.ct) { return null; }
        return subtle.decrypt({ name: "AES-GCM", iv: fromBase64(stored.iv) }, aes,
                              fromBase64(stored.ct))
          .then(function (plain) { return JSON.parse(new TextDecoder().decode(plain)); });
      });
    }).catch(function () { return null; });
  }

  var writing = Promise.resolve();
  function write(key, value) {
    // One write after another, so a slower encryption cannot put older typing back.
    writing = writing.then(function () {
      return ready().then(function (aes) {
        if (!aes) { return; }
        var iv = window.crypto.getRandomValues(new Uint8Array(12));
        var plain = new TextEncoder().encode(JSON.stringify(value));
        return Promise.all([storageKey(key),
                            subtle.encrypt({ name: "AES-GCM", iv: iv }, aes, plain)])
          .then(function (parts) {
            storage().setItem(parts[0], JSON.stringify(
              { iv: toBase64(iv), ct: toBase64(parts[1]), at: Date.now() }));
          });
      });
    }).catch(function () { /* storage full or blocked: the server copy still works */ });
    return writing;
  }

  function forget(key) {
    writing = writing.then(function () {
      return ready().then(function (aes) {
        if (!aes) { return; }
        return storageKey(key).then(function (name) { storage().removeItem(name); });
      });
    }).catch(function () { /* nothing kept */ });
    return writing;
  }

  // Drafts kept before they were encrypted, or kept too long, go whoever opens the page.
  function tidy() {
    var store = storage();
    if (!store) { return; }
    try {
      Object.keys(store).forEach(function (name) {
        if (name.indexOf(PREFIX) !== 0) { return; }
        if (name.indexOf(VERSION) !== 0) { store.removeItem(name); return; }
        var stored = null;
        try { stored = JSON.parse(store.getItem(name)); } catch (e) { stored = null; }
        if (!stored || !stored.ct || !(Date.now() - stored.at < MAX_AGE_MS)) {
          store.removeItem(name);
        }
      });
    } catch (e) { /* nothing kept */ }
  }

  function forgetAll() {
    var store = storage();
    if (!store) { return; }
    try {
      Object.keys(store).forEach(function (name) {
        if (name.indexOf(PREFIX) === 0) { store.removeItem(name); }
      });
    } catch (e) { /* nothing kept */ }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "password" &&
        el.type !== "hidden" && el.type !== "submit" && el.type !== "button" && el.type !== "file";
    });
  }

  function collect(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio") {
        if (el.checked) { data[el.name] = el.value; }
      } else if (el.type === "checkbox") {
        data[el.name] = data[el.name] || [];
        if (el.checked) { data[el.name].push(el.value); }
      } else if (el.value !== "") {
        data[el.name] = el.value;
      }
    });
    Object.keys(data).forEach(function (name) {
      if (Array.isArray(data[name]) && !data[name].length) { delete data[name]; }
    });
    return data;
  }

  function hasTyping(form) {
    return fields(form).some(function (el) {
      if (el.type === "radio" || el.type === "checkbox") { return el.checked; }
      return el.value !== "";
    });
  }

  function fill(form, data) {
    fields(form).forEach(function (el) {
      if (!(el.name in data)) { return; }
      var value = data[el.name];
      if (el.type === "radio") {
        el.checked = el.value === value;
      } else if (el.type === "checkbox") {
        el.checked = Array.isArray(value) && value.indexOf(el.value) !== -1;
      } else if (typeof value === "string") {
        el.value = value;
      }
    });
  }

  function serverDraft() {
    var node = document.getElementById("server-draft");
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function say(form, text) {
    var status = form.querySelector("[data-draft-status]");
    if (status) { status.textContent = text; }
  }

  // Why the server did not keep the draft, in words: never "Draft saved" unless it did.
  function notSaved(status) {
    if (status === 401 || status === 403) {
      return "Draft not saved: you have been signed out. Sign in again to save your typing.";
    }
    if (status === 413) {
      return "Draft not saved: it is too long to keep as a draft. Save the form, or shorten it.";
    }
    if (status === 0) {
      return "Draft not saved: Cairn cannot be reached. Keep this page open and try again.";
    }
    return "Draft not saved: Cairn could not keep it. Keep this page open and try again.";
  }

  // A draft belongs to the one form it was typed in. Following a link from another page to a
  // form opens a new one (another need added to a plan, after a first was refused): a draft
  // left by an earlier form is offered there, never filled in by itself, or it would be saved
  // as the new record. The same form reloaded, come back to with the browser's Back button,
  // opened from a bookmark or come back to after signing in again gets its draft back.
  // Decided from how the page was reached, not from a click seen before it was left, so a
  // link followed before this script ran counts the same.
  function openedFromAnotherPage() {
    var timing = window.performance && window.performance.getEntriesByType &&
      window.performance.getEntriesByType("navigation")[0];
    if (timing && timing.type !== "navigate") { return false; }
    var from = null;
    try { from = new URL(document.referrer); } catch (e) { return false; }
    var signIn = document.body.getAttribute("data-sign-in");
    return from.origin === window.location.origin &&
      from.pathname !== window.location.pathname && from.pathname !== signIn;
  }

  function when(at) {
    try {
      return new Date(at).toLocaleString("en-GB", { day: "numeric", month: "long",
                                                     hour: "2-digit", minute: "2-digit" });
    } catch (e) { return "earlier"; }
  }

  function discardOnServer(form, key) {
    if (!window.fetch) { return; }
    window.fetch("/drafts/", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
      body: JSON.stringify({ key: key, data: {} })
    }).catch(function () { /* the next save replaces it */ });
  }

  function button(text) {
    var node = document.createElement("button");
    node.type = "button";
    node.className = "govuk-button govuk-button--secondary";
    node.textContent = text;
    return node;
  }

  // Offer an earlier form's draft: brought back only if the user asks for it.
  function offer(form, key, draft) {
    var box = document.createElement("div");
    box.className = "govuk-inset-text";
    box.setAttribute("data-draft-offer", "");
    var text = document.createElement("p");
    text.className = "govuk-body";
    text.textContent = "You have an unsaved draft of this form from " + when(draft.at) +
      ". It has not been filled in, because this is a new form. If you type here instead, " +
      "that draft is replaced.";
    var group = document.createElement("div");
    group.className = "govuk-button-group";
    var bring = button("Bring back the draft");
    var drop = button("Discard the draft");
    group.appendChild(bring);
    group.appendChild(drop);
    box.appendChild(text);
    box.appendChild(group);
    form.insertBefore(box, form.firstChild);
    bring.addEventListener("click", function () {
      fill(form, draft.data);
      box.remove();
      say(form, "Your unsaved draft has been brought back.");
    });
    drop.addEventListener("click", function () {
      forget(key);
      discardOnServer(form, key);
      box.remove();
      say(form, "The draft has been discarded.");
    });
    form.addEventListener("input", function () { box.remove(); }, { once: true });
  }

  function setUp(form) {
    var key = form.getAttribute("data-draft");
    var dirty = false;
    var sending = false;
    var fresh = openedFromAnotherPage();

    // A form the server sent back with errors already holds what was typed.
    var redisplayed = form.closest("main") &&
      form.closest("main").querySelector(".govuk-error-summary");
    if (!redisplayed && !hasTyping(form)) {
      read(key).then(function (local) {
        if (hasTyping(form)) { return; } // typing began while the copy was read
        var server = serverDraft();
        var best = local;
        if (server && (!local || server.at > local.at)) { best = server; }
        if (best && best.data && Object.keys(best.data).length) {
          if (fresh) {
            offer(form, key, best);
          } else {
            fill(form, best.data);
            say(form, "Your unsaved draft has been brought back.");
          }
        }
      });
    }

    // The form's one-time key names this instance of the form: the server drops a copy that
    // arrives after the form it came from was saved.
    function submission() {
      var input = form.querySelector("input[name=submission_key]");
      return input ? input.value : "";
    }

    function sync() {
      if (!dirty || sending || !window.fetch) { return; }
      sending = true;
      dirty = false;
      var body = JSON.stringify({ key: key, data: collect(form), submission: submission() });
      window.fetch("/drafts/", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: body
      }).then(function (response) {
        if (!response.ok) {
          dirty = true;
          say(form, notSaved(response.status));
          return;
        }
        return response.json().then(function (answer) {
          if (answer && answer.saved) { say(form, "Draft saved."); }
          else { dirty = true; say(form, notSaved(response.status)); }
        });
      }).catch(function () {
        dirty = true;
        say(form, notSaved(0));
      }).then(function () { sending = false; });
    }

    function changed() {
      write(key, { data: collect(form), at: Date.now() });
      dirty = true;
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    window.setInterval(sync, SYNC_MS);
    window.addEventListener("pagehide", sync);
  }

  function signOutClears() {
    // On a shared computer, signing out leaves no draft in this browser, encrypted or not
    // (the server keeps the draft for its owner).
    document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      form.addEventListener("submit", forgetAll);
    });
  }

  tidy();
  // The sign-in page (and every page without a signed-in user) has no key: nothing typed
  // before can be read on it, and plain copies left by an older Cairn are gone (tidy).
  // The previous request saved that form for good: its draft is finished with.
  var saved = document.body.getAttribute("data-draft-saved");
  if (saved) { forget(saved); }
  document.querySelectorAll("form[data-draft]").forEach(setUp);
  signOutClears();
})();
