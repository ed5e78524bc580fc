// Tag completion for the article form: as the writer types the last tag of the comma-separated
// list, existing tags are offered in a native <datalist> (each option is the whole list with the
// last tag completed). The server answers at the URL in the input's data-suggest-url.
(function () {
  "use strict";
  function attach(input) {
    var list = document.createElement("datalist");
    list.id = input.id + "-suggestions";
    input.after(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var lastQuery = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = input.value;
        if (query === lastQuery) return;
        lastQuery = query;
        var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(list, data.suggestions.map(function (value) {
              var option = document.createElement("option");
              option.value = value;
              return option;
            }));
          })
          .catch(function () { list.replaceChildren(); });
      }, 150);
    });
  }
  function start() {
    document.querySelectorAll("input[data-suggest-url]").forEach(attach);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
