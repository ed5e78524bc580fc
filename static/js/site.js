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

  // On a desktop the menu stays one row: items that do not fit move into "More".
  const moreItem = menu && menu.querySelector(".site-nav__more");
  if (moreItem) {
    const moreToggle = moreItem.querySelector(".site-nav__more-toggle");
    const moreMenu = moreItem.querySelector(".site-nav__more-menu");
    const narrow = window.matchMedia("(max-width: 959px)");
    const show = (open) => {
      moreToggle.setAttribute("aria-expanded", String(open));
      moreMenu.hidden = !open;
    };
    // What the reader asked for outlives a refit: a window resized through a narrow width
    // (a rotated tablet, a full-page screenshot) shows "More" open again once it is back.
    let wanted = false;
    const setOpen = (open) => {
      wanted = open;
      show(open);
    };
    const overflows = () => menu.scrollWidth > menu.clientWidth + 1;
    let fittedWidth = -1;
    const fit = (force) => {
      // Only a change of width can change what fits (a taller window must not close "More").
      if (force !== true && menu.clientWidth === fittedWidth) return;
      fittedWidth = menu.clientWidth;
      show(false);
      while (moreMenu.firstElementChild) menu.insertBefore(moreMenu.firstElementChild, moreItem);
      moreItem.hidden = true;
      if (!narrow.matches && overflows()) {
        moreItem.hidden = false;
        let last = moreItem.previousElementSibling;
        while (last && overflows()) {
          const previous = last.previousElementSibling;
          moreMenu.prepend(last);
          last = previous;
        }
      }
      moreItem.classList.toggle("site-nav__more--current", !!moreMenu.querySelector("[aria-current]"));
      show(wanted && !moreItem.hidden);
      menu.dataset.fitted = "true";
    };
    moreToggle.addEventListener("click", () => setOpen(moreMenu.hidden));
    // On the document, and by the reader's choice: a resize may have taken the focus out of
    // "More", or hidden it for now (narrow) with the choice to show it kept.
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && wanted) {
        setOpen(false);
        moreToggle.focus();
      }
    });
    moreItem.addEventListener("focusout", (event) => {
      // Focus lost to nowhere (the toggle hidden by a resize, another window) is not a move away.
      if (event.relatedTarget && !moreItem.contains(event.relatedTarget)) setOpen(false);
    });
    document.addEventListener("click", (event) => {
      if (!moreItem.contains(event.target)) setOpen(false);
    });
    let pending = 0;
    window.addEventListener("resize", () => {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(fit);
    });
    fit(true);
    // Web fonts can widen the items after the first fit.
    if (document.fonts) document.fonts.ready.then(() => fit(true));
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
