// Vote counts for [data-vote-count] elements, from a JSON the server refreshes every few seconds.
(function () {
  var script = document.currentScript;
  var url = script && script.getAttribute("data-counts-url");
  var nodes = document.querySelectorAll("[data-vote-count]");
  if (!url || !nodes.length) return;
  function load() {
    fetch(url, { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.visible) return;
        nodes.forEach(function (node) {
          var value = data.counts[node.getAttribute("data-vote-count")];
          node.textContent = value === undefined ? "0" : String(value);
        });
        window.setTimeout(load, Math.max(5, data.refresh_seconds || 5) * 1000 * 6);
      })
      .catch(function () {});
  }
  load();
})();
