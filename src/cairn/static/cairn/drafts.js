// Nothing typed is lost: forms marked data-draft keep what is typed in this browser on every
// keystroke and on the server every few seconds, and bring it back when the form is opened
// again, even after the session expired and the user signed in again.
(function () {
  "use strict";

  var SYNC_MS = 3000;
  var user = document.body.getAttribute("data-user") || "anon";
  var PREFIX = "cairn-draft:" + user + ":";

  function storageKey(key) { return PREFIX + key; }

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(storageKey(key)) || "null"); }
    catch (e) { return null; }
  }

  function write(key, value) {
    try { window.localStorage.setItem(storageKey(key), JSON.stringify(value)); }
    catch (e) { /* storage full or blocked: the server copy still works */ }
  }

  function forget(key) {
    try { window.localStorage.removeItem(storageKey(key)); } catch (e) { /* nothing kept */ }
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

  function setUp(form) {
    var key = form.getAttribute("data-draft");
    var dirty = false;
    var sending = false;

    // A form the server sent back with errors already holds what was typed.
    var redisplayed = form.closest("main") &&
      form.closest("main").querySelector(".govuk-error-summary");
    if (!redisplayed && !hasTyping(form)) {
      var local = read(key);
      var server = serverDraft();
      var best = local;
      if (server && (!local || server.at > local.at)) { best = server; }
      if (best && best.data && Object.keys(best.data).length) {
        fill(form, best.data);
        say(form, "Your unsaved draft has been brought back.");
      }
    }

    function sync() {
      if (!dirty || sending || !window.fetch) { return; }
      sending = true;
      dirty = false;
      var body = JSON.stringify({ key: key, data: collect(form) });
      window.fetch("/drafts/", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: body
      }).then(function (response) {
        if (!response.ok) { dirty = true; }
        else { say(form, "Draft saved."); }
      }).catch(function () { dirty = true; }).then(function () { sending = false; });
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
    // On a shared computer, signing out leaves no case-record text in this browser
    // (the server keeps the draft for its owner).
    document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      form.addEventListener("submit", function () {
        try {
          Object.keys(window.localStorage).forEach(function (k) {
            if (k.indexOf(PREFIX) === 0) { window.localStorage.removeItem(k); }
          });
        } catch (e) { /* nothing kept */ }
      });
    });
  }

  // The previous request saved that form for good: its draft is finished with.
  var saved = document.body.getAttribute("data-draft-saved");
  if (saved) { forget(saved); }
  document.querySelectorAll("form[data-draft]").forEach(setUp);
  signOutClears();
})();
