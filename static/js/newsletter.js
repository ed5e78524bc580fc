// Newsletter signup in place: the form works without this (it posts and the server redirects);
// with it, the answer replaces the form where the reader is.
(() => {
  if (window.newsletterFormsBound) return; // the block may appear twice on one page
  window.newsletterFormsBound = true;

  const bind = (form) => {
    const status = form.querySelector(".newsletter-form__status");
    const stampField = form.querySelector("input[name=ts]");
    // The page may come from a cache, so the form's stamp is fetched fresh when the reader first
    // touches the form (the server checks it was not sent faster than a person types).
    let stampRequest = null;
    const fetchStamp = () => {
      if (!stampRequest && form.dataset.stampUrl) {
        stampRequest = fetch(form.dataset.stampUrl, { credentials: "omit", cache: "no-store" })
          .then((response) => response.json())
          .then((answer) => { stampField.value = answer.ts; })
          .catch(() => {});
      }
      return stampRequest || Promise.resolve();
    };
    form.addEventListener("focusin", fetchStamp, { once: true });
    form.addEventListener("input", fetchStamp, { once: true });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.textContent = "Sending…";
      await fetchStamp();
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "omit",
        });
        const answer = await response.json();
        status.textContent = answer.message;
        if (answer.ts) stampField.value = answer.ts; // asked to send again, with a fresh stamp
        form.querySelectorAll(".newsletter-form__error").forEach((node) => node.remove());
        if (answer.ok) {
          form.querySelectorAll(".newsletter-form__field, .newsletter-form__frequency, button").forEach((node) => {
            node.hidden = true;
          });
          status.classList.add("newsletter-form__status--done");
        } else {
          Object.entries(answer.errors || {}).forEach(([field, messages]) => {
            const input = form.querySelector(`[name="${field}"]`);
            if (!input) return;
            input.setAttribute("aria-invalid", "true");
            const note = document.createElement("span");
            note.className = "newsletter-form__error";
            note.textContent = messages[0];
            input.insertAdjacentElement("afterend", note);
          });
          button.disabled = false;
        }
      } catch (error) {
        // Network trouble: fall back to the ordinary post.
        form.submit();
      }
    });
  };

  const start = () => document.querySelectorAll("form[data-newsletter-form]").forEach(bind);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
