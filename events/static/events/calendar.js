/* The server renders the filters folded, so on a phone the results come first (after «Показать» too)
   and the month grid keeps the full width; beside a list on a wide screen they are opened here. */
(function () {
  var box = document.getElementById("events-filters-box");
  if (box && box.dataset.openWide && window.matchMedia("(min-width: 60rem)").matches) {
    box.open = true;
  }
})();
