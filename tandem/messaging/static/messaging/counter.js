// The compose page's live character count. Without JavaScript the page still works:
// "Preview" shows the count and the number of text messages, computed on the server.
(function () {
  document.querySelectorAll("[data-counter-for]").forEach(function (note) {
    var field = document.getElementById(note.dataset.counterFor);
    if (!field) return;
    var update = function () {
      note.textContent = note.dataset.liveText.replace(
        "{characters}",
        Array.from(field.value.trim()).length
      );
    };
    field.addEventListener("input", update);
  });
})();
