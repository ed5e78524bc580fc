// Newsletter signup in place: the form works without this (it posts and the server redirects);
// with it, the answer replaces the form where the reader is.
(() => {
  if (window.newsletterFormsBound) return; // the block may appear twice on one page
  window.newsletterFormsBound = true;

  const bind = (form) => {
    const status = form.querySelector(".newsletter-form__status");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      status.textContent = "Sending…";
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json" },
          credentials: "omit",
        });
        const answer = await response.json();
        status.textContent = answer.message;
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
