/* The atlas catalogue without reloads: a tick, the search or the order fetch the same address the form
   would open, the results and the filters are put in place and the address follows (history), so links
   stay shareable and «Назад» works. Without this script the form and the links do the same with reloads. */
(function () {
  "use strict";
  var form = document.getElementById("atlas-form");
  var results = document.getElementById("atlas-results");
  var facets = document.getElementById("atlas-facets");
  var announce = document.getElementById("atlas-announce");
  if (!form || !results || !facets || !window.fetch || !window.history || !window.DOMParser) return;
  document.documentElement.classList.add("js");
  var pending = null;
  var timer = null;

  function formUrl() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") params.append(key, value);
    });
    var sort = document.getElementById("atlas-sort");
    if (sort && !params.has("sort") && sort.value !== "new") params.append("sort", sort.value);
    if (params.get("sort") === "new") params.delete("sort");
    var query = params.toString();
    return form.getAttribute("action") + (query ? "?" + query : "");
  }

  function load(url, push) {
    if (pending) pending.abort();
    pending = new AbortController();
    results.setAttribute("aria-busy", "true");
    var focusedId = document.activeElement && document.activeElement.id;
    fetch(url, { signal: pending.signal, headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var newResults = doc.getElementById("atlas-results");
        var newFacets = doc.getElementById("atlas-facets");
        if (!newResults || !newFacets) throw new Error("unexpected page");
        results.innerHTML = newResults.innerHTML;
        facets.innerHTML = newFacets.innerHTML;
        document.title = doc.title;
        var q = document.getElementById("atlas-q");
        var newQ = doc.getElementById("atlas-q");
        if (q && newQ && q !== document.activeElement) q.value = newQ.value;
        if (push) history.pushState({ atlas: true }, "", url);
        var count = results.querySelector("[data-atlas-count]");
        if (announce && count) announce.textContent = count.textContent;
        // Keep the keyboard where it was: the same checkbox, rebuilt with the new counts.
        var again = focusedId && document.getElementById(focusedId);
        if (again && again !== document.activeElement) again.focus();
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        window.location.href = url; // let the server answer the ordinary way
      })
      .finally(function () {
        results.removeAttribute("aria-busy");
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target && event.target.name === "q") return; // the text waits for «Найти» or Enter
    load(formUrl(), true);
  });
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "atlas-sort") load(formUrl(), true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    load(formUrl(), true);
  });
  results.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='?'], .pagination a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    var url = new URL(link.getAttribute("href"), window.location.href);
    load(url.pathname + url.search, true);
    results.querySelector("h2") && results.scrollIntoView({ block: "start" });
  });
  window.addEventListener("popstate", function () {
    load(window.location.pathname + window.location.search, false);
  });
})();
