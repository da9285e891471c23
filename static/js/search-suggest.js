/* Suggestions as you type in the header search box: the WAI-ARIA combobox pattern (list autocomplete,
   https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). The server renders a plain search form, an
   empty hidden listbox and a polite status line; this script makes the input a combobox, asks
   /search/suggest/ (from 3 characters, 200 ms after the last keystroke) and shows the titles with their
   sections. ArrowDown/ArrowUp move through the list, Enter opens the chosen page (or submits the form
   when nothing is chosen), Escape closes the list, Tab leaves. Without this script the form is an
   ordinary GET to /search/. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  var input = form && form.querySelector("input[name=q]");
  var list = form && document.getElementById(form.getAttribute("data-suggest-list"));
  var status = form && document.getElementById(form.getAttribute("data-suggest-status"));
  if (!input || !list || !status || !window.fetch || !window.AbortController) return;

  var MIN_LENGTH = 3;
  var DELAY = 200;
  var url = form.getAttribute("data-suggest-url");
  var timer = null;
  var pending = null;
  var asked = "";  // the query of the options in the list
  var options = [];  // [{title, url, section}]
  var active = -1;

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");  // the browser's own history list would cover ours

  function query() {
    return input.value.replace(/\s+/g, " ").trim();
  }

  function isOpen() {
    return !list.hidden;
  }

  function open() {
    if (!options.length) return;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }

  function setActive(index) {
    var items = list.children;
    if (active >= 0 && items[active]) {
      items[active].setAttribute("aria-selected", "false");
    }
    active = index;
    if (index < 0 || !items[index]) {
      active = -1;
      input.removeAttribute("aria-activedescendant");
      return;
    }
    items[index].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", items[index].id);
    if (items[index].scrollIntoView) items[index].scrollIntoView({ block: "nearest" });
  }

  function safeUrl(raw) {
    try {
      var target = new URL(raw, window.location.href);
      return target.protocol === "http:" || target.protocol === "https:" ? target.href : null;
    } catch (error) {
      return null;
    }
  }

  function render(items) {
    options = [];
    items.forEach(function (item) {
      var href = item && typeof item.title === "string" && safeUrl(item.url);
      if (href) options.push({ title: item.title, url: href, section: String(item.section || "") });
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.textContent = "";
    options.forEach(function (option, index) {
      var li = document.createElement("li");
      li.id = list.id + "-" + index;
      li.className = "site-search__option";
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-index", String(index));
      var title = document.createElement("span");
      title.className = "site-search__option-title";
      title.textContent = option.title;
      li.appendChild(title);
      if (option.section) {
        // The visually hidden words keep the two parts apart in the option's spoken name.
        var gap = document.createElement("span");
        gap.className = "visually-hidden";
        gap.textContent = ", раздел: ";
        li.appendChild(gap);
        var section = document.createElement("span");
        section.className = "site-search__option-section";
        section.textContent = option.section;
        li.appendChild(section);
      }
      list.appendChild(li);
    });
    status.textContent = options.length ? "Найдено подсказок: " + options.length : "Подсказок нет";
    if (options.length && document.activeElement === input) {
      open();
    } else {
      close();
    }
  }

  function load(q) {
    if (pending) pending.abort();
    pending = new AbortController();
    var mine = pending;
    fetch(url + "?q=" + encodeURIComponent(q), {
      signal: mine.signal,
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (mine !== pending || query() !== q) return;  // the visitor typed on meanwhile
        asked = q;
        render(Array.isArray(data && data.suggestions) ? data.suggestions : []);
      })
      .catch(function () {
        // No suggestions (offline, aborted, a server error): the form still searches on Enter.
      })
      .finally(function () {
        if (mine === pending) pending = null;
      });
  }

  function reset() {
    clearTimeout(timer);
    if (pending) pending.abort();
    pending = null;
    asked = "";
    options = [];
    list.textContent = "";
    if (status.textContent) status.textContent = "";
    close();
  }

  function schedule() {
    var q = query();
    clearTimeout(timer);
    if (q.length < MIN_LENGTH) {
      reset();
      return;
    }
    if (q === asked) {
      open();
      return;
    }
    setActive(-1);
    timer = setTimeout(function () { load(q); }, DELAY);
  }

  function go(index, newTab) {
    var option = options[index];
    if (!option) return;
    if (newTab) {
      window.open(option.url, "_blank", "noopener");
      return;
    }
    close();
    window.location.assign(option.url);
  }

  input.addEventListener("input", schedule);

  input.addEventListener("keydown", function (event) {
    if (event.altKey && event.key === "ArrowDown") {
      event.preventDefault();
      open();
      return;
    }
    switch (event.key) {
      case "ArrowDown":
      case "Down":
        event.preventDefault();
        if (!isOpen()) {
          if (options.length && asked === query()) {
            open();
            setActive(0);
          } else if (query().length >= MIN_LENGTH) {
            clearTimeout(timer);
            load(query());
          }
          return;
        }
        setActive(active + 1 < options.length ? active + 1 : 0);
        break;
      case "ArrowUp":
      case "Up":
        event.preventDefault();
        if (!isOpen()) {
          if (options.length && asked === query()) {
            open();
            setActive(options.length - 1);
          }
          return;
        }
        setActive(active > 0 ? active - 1 : options.length - 1);
        break;
      case "Enter":
        if (isOpen() && active >= 0) {
          event.preventDefault();
          go(active, false);
        } else {
          close();  // the form is submitted: a search for what was typed
        }
        break;
      case "Escape":
      case "Esc":
        if (isOpen()) {
          event.preventDefault();  // keep the text; a second Escape clears it as usual
          close();
        }
        break;
      case "Tab":
        close();
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", function () {
    close();
  });

  // A press on an option must not take the focus from the input (the list would close before the click).
  list.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });

  list.addEventListener("click", function (event) {
    var li = event.target.closest && event.target.closest("[role=option]");
    if (!li) return;
    go(Number(li.getAttribute("data-index")), event.ctrlKey || event.metaKey);
  });

  form.addEventListener("submit", function () {
    clearTimeout(timer);
    if (pending) pending.abort();
    close();
  });
})();
