// The data walk: one slide at a time, moved with the arrow keys (Page Up/Down, Home and
// End too) or the Previous/Next buttons. Without JavaScript the slides are one long page.
(function () {
  var walk = document.querySelector("[data-walk]");
  if (!walk) return;
  var slides = Array.prototype.slice.call(walk.querySelectorAll("[data-slide]"));
  var counter = walk.querySelector("[data-walk-counter]");
  var forward = document.documentElement.dir === "rtl" ? "ArrowLeft" : "ArrowRight";
  var back = forward === "ArrowRight" ? "ArrowLeft" : "ArrowRight";
  var moves = { ArrowDown: 1, PageDown: 1, " ": 1, ArrowUp: -1, PageUp: -1 };
  moves[forward] = 1;
  moves[back] = -1;
  var current = 0;

  function show(index) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      slide.hidden = i !== current;
    });
    counter.textContent = walk.dataset.walkCounterText
      .replace("{n}", current + 1)
      .replace("{total}", slides.length);
    history.replaceState(null, "", "#" + slides[current].id);
  }

  walk.classList.add("walk--slides");
  walk.querySelectorAll("[data-walk-move], [data-walk-only]").forEach(function (element) {
    element.hidden = false;
    if (element.dataset.walkMove) {
      element.addEventListener("click", function () {
        show(current + Number(element.dataset.walkMove));
      });
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === " " && event.target.closest("button, a")) return; // Space presses it
    if (event.key in moves) {
      event.preventDefault();
      show(current + moves[event.key]);
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      show(event.key === "Home" ? 0 : slides.length - 1);
    }
  });
  var start = slides.findIndex(function (slide) {
    return "#" + slide.id === location.hash;
  });
  show(start < 0 ? 0 : start);
})();
