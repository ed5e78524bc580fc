// Small progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // The navigation folds into a "Menu" button on narrow screens.
  const toggle = document.querySelector(".site-nav__toggle");
  const menu = document.getElementById("site-nav-menu");
  if (toggle && menu) {
    // The stylesheet already folds the menu on narrow screens once <html> has the "js" class.
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      menu.dataset.collapsed = String(open);
    });
  }

  // Related videos load the third-party player only when the reader asks for it.
  document.querySelectorAll(".video-embed[data-embed-src]").forEach((box) => {
    const link = box.querySelector(".video-embed__load");
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const frame = document.createElement("iframe");
      frame.src = box.dataset.embedSrc + (box.dataset.embedSrc.includes("?") ? "&" : "?") + "autoplay=1";
      frame.title = box.dataset.embedTitle;
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.loading = "lazy";
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      box.replaceChildren(frame);
    });
  });
});
