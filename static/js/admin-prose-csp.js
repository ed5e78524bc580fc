// The rich-text editor (Tiptap) injects its base CSS as an inline <style> unless an element
// matching style[data-tiptap-style] exists already. Our Content-Security-Policy refuses inline
// styles, so before the editor starts we add an inert marker: an element named "style" outside
// the HTML namespace, which matches the selector but is no style sheet. The same rules are in
// static/css/admin.css.
(function () {
  "use strict";
  if (document.querySelector("style[data-tiptap-style]")) return;
  var marker = document.createElementNS("urn:x-newsroom:marker", "style");
  marker.setAttribute("data-tiptap-style", "");
  document.head.appendChild(marker);
})();
