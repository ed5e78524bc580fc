// Library pictures in the body editor's figure dialog: its "Image URL" box offers the recent
// pictures of the library (by alt text) in a native <datalist>; choosing one fills in the alt
// text and caption too. The list comes from the URL in the body textarea's data-pictures-url.
(function () {
  "use strict";
  var pictures = null;
  var list = document.createElement("datalist");
  list.id = "library-pictures";

  function load(url) {
    if (pictures) return;
    pictures = [];
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { pictures: [] }; })
      .then(function (data) {
        pictures = data.pictures;
        list.replaceChildren.apply(list, pictures.map(function (picture) {
          var option = document.createElement("option");
          option.value = picture.url;
          option.label = picture.alt;
          return option;
        }));
      })
      .catch(function () { pictures = null; });
  }

  function wire(dialog) {
    var address = dialog.querySelector("input[name=imageUrl]");
    if (!address || address.hasAttribute("list")) return;
    address.setAttribute("list", list.id);
    address.addEventListener("change", function () {
      var chosen = (pictures || []).find(function (p) { return p.url === address.value; });
      if (!chosen) return;
      var alt = dialog.querySelector("input[name=altText]");
      var caption = dialog.querySelector("input[name=caption]");
      if (alt && !alt.value) alt.value = chosen.alt;
      if (caption && !caption.value) caption.value = chosen.caption;
    });
  }

  function start() {
    var body = document.querySelector("textarea[data-pictures-url]");
    if (!body) return;
    document.body.appendChild(list);
    load(body.dataset.picturesUrl);
    new MutationObserver(function () {
      document.querySelectorAll("dialog").forEach(wire);
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
