"""Text as both the index and the query see it. One normalisation on both sides is what makes
«ГИА-2027» find itself: PostgreSQL's parser reads «ГИА-2027» as the word «ГИА» and the number «-2027»,
and «ёлка» and «елка» as two different stems."""

import html
import re

from django.utils.html import strip_tags

SEARCH_CONFIG = "russian"

# A hyphen or dash between two word characters: «ГИА-2027», «онлайн-школа», «ВПР–2026».
_JOINER = re.compile(r"(?<=\w)[-‐‑‒–—/](?=\w)")
_NUMERO = re.compile(r"[№#]")
# A query word: letters or digits, no underscore (PostgreSQL's parser splits on it too).
_WORD = re.compile(r"[^\W_]+")
_LETTERS = re.compile(r"^[^\W\d_]+$")


def normalise(text: str) -> str:
    text = text.replace("ё", "е").replace("Ё", "Е").replace("\x00", " ")
    text = _NUMERO.sub(" ", text)
    return _JOINER.sub(" ", text)


def plain(value) -> str:
    """Searchable plain text of a field value: HTML stripped, entities decoded, whitespace collapsed."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return " ".join(plain(item) for item in value)
    text = str(value)
    if "<" in text or "&" in text:
        text = html.unescape(strip_tags(text))
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The words of a normalised, lower-cased text, in order (duplicates kept)."""
    return _WORD.findall(normalise(text).lower())


def is_alphabetic(word: str) -> bool:
    return bool(_LETTERS.match(word))


_LATIN_TO_CYRILLIC = [
    ("shch", "щ"),
    ("sch", "щ"),
    ("yo", "е"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("yu", "ю"),
    ("ya", "я"),
    ("oo", "у"),
    ("ee", "и"),
]
_LATIN_SINGLE = str.maketrans("abcdefghijklmnopqrstuvwxyz", "абкдефгхийклмнопкрстуввкыз")
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip


def transliterations(word: str) -> list[str]:
    """The word in the other alphabet, as a Russian reader would spell it («moodle» → «мудле»,
    «мудл» → «mudl»): tried for words the index does not know before a typo is assumed."""
    if not word.isascii():
        return ["".join(_CYRILLIC_TO_LATIN.get(char, char) for char in word)]
    text = word
    for latin, cyrillic in _LATIN_TO_CYRILLIC:
        text = text.replace(latin, cyrillic)
    return [text.translate(_LATIN_SINGLE)]
