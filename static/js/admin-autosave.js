// Autosave of the article form (articles/autosave.py): title, dek and body are posted every
// data-seconds while they differ from what was last kept, and once more when the page is left
// (sendBeacon). It never submits the form, so nothing is published and no revision is made.
// A newer autosave than the saved article is offered back at the top of the form.
(function () {
  "use strict";
  var bodyEditor = null;
  document.addEventListener("prose-editor:ready", function (event) {
    if (event.detail.textarea.name === "body") bodyEditor = event.detail.editor;
  });

  function start() {
    var config = document.getElementById("article-autosave");
    var form = document.getElementById("article_form");
    if (!config || !form) return;
    var fields = { title: form.elements.title, dek: form.elements.dek, body: form.elements.body };
    var status = document.getElementById("autosave-status");
    var token = form.elements.csrfmiddlewaretoken.value;
    // This page's name, posted with the form too: saving it makes late autosaves from it void.
    var page = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Math.random()).slice(2);
    var pageField = document.createElement("input");
    pageField.type = "hidden";
    pageField.name = "_autosave_page";
    pageField.value = page;
    form.appendChild(pageField);

    function snapshot() {
      return JSON.stringify([fields.title.value, fields.dek.value, fields.body.value]);
    }
    function payload() {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      ["title", "dek", "body"].forEach(function (name) { data.append(name, fields[name].value); });
      var version = form.elements.edited_version;
      data.append("edited_version", version ? version.value : "");
      data.append("page", page);
      return data;
    }
    function say(text, warning) {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("autosave-status--warning", !!warning);
    }

    var kept = snapshot();
    var sending = false;
    function save() {
      var now = snapshot();
      if (now === kept || sending) return;
      sending = true;
      fetch(config.dataset.url, {
        method: "POST", body: payload(), credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token },
      })
        .then(function (response) {
          return response.json().catch(function () { return { message: "Not autosaved (" + response.status + ")." }; });
        })
        .then(function (answer) {
          if (answer.saved) kept = now;
          say(answer.newer_save || answer.message, !!answer.newer_save || !answer.saved);
        })
        .catch(function () { say("Not autosaved: the server could not be reached. Keep this page open.", true); })
        .finally(function () { sending = false; });
    }
    var seconds = parseFloat(config.dataset.seconds) || 30;
    var timer = window.setInterval(save, seconds * 1000);

    // Leaving the page keeps the text once more (admin-unsaved-changes.js asks first); submitting
    // the form is not leaving it.
    var submitting = false;
    form.addEventListener("submit", function () {
      submitting = true;
      window.clearInterval(timer);
    });
    window.addEventListener("pagehide", function () {
      if (!submitting && snapshot() !== kept) {
        navigator.sendBeacon(config.dataset.url, payload());
        kept = snapshot();
      }
    });

    // The offer of autosaved text, newer than the saved article.
    var offer = document.getElementById("autosave-offer");
    var offered = document.getElementById("autosave-offer-data");
    if (offer && offered) {
      var text = JSON.parse(offered.textContent);
      offer.querySelector("[data-autosave-restore]").addEventListener("click", function () {
        fields.title.value = text.title;
        fields.dek.value = text.dek;
        fields.body.value = text.body;
        if (bodyEditor) bodyEditor.commands.setContent(text.body);
        [fields.title, fields.dek, fields.body].forEach(function (field) {
          field.dispatchEvent(new Event("input", { bubbles: true }));
        });
        offer.remove();
        say("Autosaved text restored. Save the article to keep it.");
      });
      offer.querySelector("[data-autosave-discard]").addEventListener("click", function () {
        var data = new FormData();
        data.append("csrfmiddlewaretoken", token);
        fetch(config.dataset.discardUrl, { method: "POST", body: data, credentials: "same-origin" });
        offer.remove();
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
