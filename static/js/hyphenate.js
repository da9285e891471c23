/* Soft hyphens for Russian text in the low-vision version, only where the browser cannot hyphenate
   by itself (`hyphens: auto` needs dictionaries some builds lack, e.g. Chromium on Linux). At 200 %
   on a phone a long word («образовательных») is wider than the line; with a soft hyphen it breaks
   with a visible hyphen instead of being cut anywhere. Rules: the classic syllable rules for Russian
   (P. Khristov), never leaving fewer than two letters on a line. Without JavaScript the browser's
   own wrapping applies. */
(function () {
  "use strict";
  var probe = document.createElement("span");
  probe.lang = "ru";
  probe.style.cssText = "position:absolute;visibility:hidden;width:4em;font-size:16px;line-height:20px;" +
    "display:block;hyphens:auto;-webkit-hyphens:auto;overflow-wrap:normal;word-break:normal";
  probe.textContent = "безопасного";
  document.body.appendChild(probe);
  var native = probe.getBoundingClientRect().height > 30;
  probe.parentNode.removeChild(probe);
  if (native) { return; }

  var all = "[абвгдеёжзийклмнопрстуфхцчшщъыьэюя]";
  var vowel = "[аеёиоуыэюя]";
  var consonant = "[бвгджзклмнпрстфхцчшщ]";
  var sign = "[йъь]";
  var rules = [
    new RegExp("(" + sign + ")(?=" + all + all + ")", "gi"),
    new RegExp("(" + vowel + ")(?=" + vowel + all + ")", "gi"),
    new RegExp("(" + vowel + consonant + ")(?=" + consonant + vowel + ")", "gi"),
    new RegExp("(" + consonant + vowel + ")(?=" + consonant + vowel + ")", "gi"),
    new RegExp("(" + vowel + consonant + ")(?=" + consonant + consonant + vowel + ")", "gi"),
    new RegExp("(" + vowel + consonant + consonant + ")(?=" + consonant + consonant + vowel + ")", "gi")
  ];
  var word = /[А-Яа-яЁё]{6,}/g;
  var hasWord = /[А-Яа-яЁё]{6,}/;
  var SHY = "\u00AD";

  function hyphenateWord(w) {
    for (var i = 0; i < rules.length; i++) { w = w.replace(rules[i], "$1" + SHY); }
    // no piece shorter than two letters at either end
    var parts = w.split(SHY);
    if (parts.length < 2) { return w; }
    if (parts[0].length < 2) { parts[1] = parts[0] + parts[1]; parts.shift(); }
    if (parts.length > 1 && parts[parts.length - 1].length < 2) { parts[parts.length - 2] += parts.pop(); }
    return parts.join(SHY);
  }

  var skip = /^(SCRIPT|STYLE|TEXTAREA|INPUT|SELECT|OPTION|CODE|PRE|KBD|SAMP)$/;
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: function (node) {
      for (var el = node.parentNode; el && el !== document.body; el = el.parentNode) {
        if (skip.test(el.nodeName) || el.isContentEditable) { return NodeFilter.FILTER_REJECT; }
      }
      return hasWord.test(node.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
    }
  });
  var nodes = [];
  while (walker.nextNode()) { nodes.push(walker.currentNode); }
  for (var i = 0; i < nodes.length; i++) {
    nodes[i].data = nodes[i].data.replace(word, hyphenateWord);
  }
})();
