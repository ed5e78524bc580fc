// Live word count and reading time in the article form, as the writer types in the body editor.
// The server computes the same figures (Article.word_count / reading_minutes) on save.
(function () {
  "use strict";
  var WORDS_PER_MINUTE = 230;
  function start() {
    var body = document.getElementById("id_body");
    var target = document.querySelector(".field-reading_stats .readonly");
    if (!body || !target) return;
    var scratch = document.createElement("template");
    function update() {
      // As Article.plain_text does: a space between adjacent tags separates blocks' words.
      scratch.innerHTML = body.value.replace(/></g, "> <");
      var text = scratch.content.textContent || "";
      var words = text.split(/\s+/).filter(Boolean).length;
      var minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE));
      target.textContent = words.toLocaleString("en") + " words · " + minutes + " min read";
    }
    body.addEventListener("input", update);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
