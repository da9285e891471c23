"""What a visitor's query means: its words, what each may match, which are required, and a suggestion.

Rules, in order, for every word of the query (after ё → е and «ГИА-2027» → «гиа 2027»):
1. An editor's synonym group that contains the word (or a phrase of the query) → any member matches.
2. A stop word («где», «для», «на») → ignored.
3. A word the index knows (by its Russian stem) → matches that stem, in any form.
4. A word the index does not know:
   a. three or more letters that begin known words → a prefix («педаг» → педагог, педагогический);
   b. the same word in the other alphabet is known («moodle» ↔ «мудл» by transliteration);
   c. a known word within trigram similarity («вебинр» → вебинар) → that word, offered as
      «Возможно, вы искали: …»;
   d. otherwise ignored — a word nobody wrote must not empty the result.
5. A number right after «школа», «гимназия», «лицей», «детский сад», «ГБОУ» or «№» is required, so
   «гимназия 157» never answers with 15 or 1570; other numbers (a year) are ordinary words.
"""

# SQL below is built from our own table names and fixed fragments; every value is a bound parameter.
# ruff: noqa: S608
import functools
import re
from dataclasses import dataclass, field

from django.db import connection

from .models import SearchSynonym, SearchWord
from .text import SEARCH_CONFIG, is_alphabetic, transliterations, words

MAX_WORDS = 12
MIN_PREFIX = 3
SIMILARITY = 0.4
_INSTITUTION_NUMBER = re.compile(
    r"(?:№|\b(?:школ|гимнази|лице|сад|гбоу|гбдоу|доу|оу|гоу|ддт|цдют)[^\W\d]*)\s*[-№]?\s*(\d+)", re.IGNORECASE
)


def tsquery_literal(lexeme: str, prefix: bool = False) -> str:
    quoted = "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
    return quoted + (":*" if prefix else "")


@dataclass
class Term:
    """One thing the query asks for: any of `alternatives` (tsquery fragments) satisfies it."""

    word: str
    alternatives: list[str] = field(default_factory=list)
    required: bool = False
    correction: str = ""  # the known word shown in «Возможно, вы искали»

    @property
    def tsquery(self) -> str:
        return "(" + " | ".join(self.alternatives) + ")"


@dataclass
class ParsedQuery:
    terms: list[Term]
    ignored: list[str]
    suggestion: str = ""  # the query with typos corrected, if any were

    @property
    def any_tsquery(self) -> str:
        return " | ".join(term.tsquery for term in self.terms)


def stems_of(candidates: list[str]) -> dict[str, str]:
    """Russian stems of words ("" for a stop word), in one query."""
    return {word: stem for word, (stem, _) in _stems_known(candidates).items()}


@functools.lru_cache(maxsize=8)
def _synonym_stems(synonym_words: tuple[str, ...]) -> dict[str, str]:
    """Stems of the synonym table's words. The same words always have the same stems, so they are worked
    out once per process and version of the table, not on every search (~30 words: 1–2 ms a search)."""
    return stems_of(list(synonym_words))


def _stems_known(candidates) -> dict[str, tuple[str, bool]]:
    """For each word, its Russian stem ("" for a stop word) and whether the index knows that stem; one query."""
    candidates = sorted(set(candidates))
    if not candidates:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT word, stem, stem <> '' AND EXISTS (SELECT 1 FROM {SearchWord._meta.db_table} w WHERE w.lexeme = stem)
            FROM (SELECT word, array_to_string(tsvector_to_array(to_tsvector(%s, word)), ' ') AS stem
                  FROM unnest(%s::text[]) AS word) AS words""",
            [SEARCH_CONFIG, candidates],
        )
        return {word: (stem, known) for word, stem, known in cursor.fetchall()}


@dataclass
class _Unknown:
    prefix: bool  # known words begin with it
    others: list[str]  # stems of its transliterations the index knows
    nearest: tuple[str, str] | None  # the most similar known word and its stem (asked only if nothing above)


def _unknown(word: str) -> _Unknown:
    """What the lexicon offers for a word it does not know, in one query: is it the beginning of known
    words, is its transliteration known, else which known word is nearest (trigram similarity)."""
    table = SearchWord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT p.found, t.known, n.word, n.lexeme
            FROM (SELECT EXISTS (SELECT 1 FROM {table} WHERE word LIKE %s) AS found) AS p
            CROSS JOIN (
                SELECT coalesce(array_agg(stem), '{{}}') AS known
                FROM (SELECT array_to_string(tsvector_to_array(to_tsvector(%s, other)), ' ') AS stem
                      FROM unnest(%s::text[]) AS other) AS s
                WHERE stem <> '' AND EXISTS (SELECT 1 FROM {table} w WHERE w.lexeme = s.stem)
            ) AS t
            LEFT JOIN LATERAL (
                SELECT word, lexeme FROM {table}
                WHERE %s AND NOT p.found AND cardinality(t.known) = 0
                  AND word %% %s AND similarity(word, %s) >= %s AND abs(length(word) - length(%s)) <= 3
                ORDER BY similarity(word, %s) DESC, length(word), word LIMIT 1
            ) AS n ON true""",
            [f"{word}%", SEARCH_CONFIG, transliterations(word), is_alphabetic(word)]
            + [word, word, SIMILARITY, word, word],
        )
        found, others, nearest, lexeme = cursor.fetchone()
    return _Unknown(found, others, (nearest, lexeme) if nearest else None)


def _synonym_groups() -> list[list[list[str]]]:
    """Editors' synonym groups, each a list of terms, each term a list of normalised words."""
    groups = []
    for synonym in SearchSynonym.objects.only("terms"):
        terms = [words(term) for term in synonym.term_list()]
        terms = [term for term in terms if term]
        if len(terms) > 1:
            groups.append(terms)
    return groups


def parse(query: str) -> ParsedQuery:
    query_words = list(dict.fromkeys(words(query)))[:MAX_WORDS]
    required_numbers = set(_INSTITUTION_NUMBER.findall(query))
    groups = _synonym_groups()
    synonym_words = {word for group in groups for term in group for word in term}
    stems_known = _stems_known(query_words)
    stems = {**_synonym_stems(tuple(sorted(synonym_words)))}
    stems.update((word, stem) for word, (stem, _) in stems_known.items())
    known = {stem for stem, is_known in stems_known.values() if is_known}

    def phrase(term_words):
        lexemes = [stems.get(word, word) for word in term_words if stems.get(word, word)]
        return "(" + " & ".join(tsquery_literal(lexeme) for lexeme in lexemes) + ")" if lexemes else ""

    terms, ignored, used = [], [], set()
    # 1. Synonym phrases found in the query (compared by stem, so any form of the words matches).
    query_stems = [stems.get(word, "") for word in query_words]
    for group in groups:
        for member in group:
            member_stems = [stems.get(word, "") for word in member]
            for start in range(len(query_words) - len(member) + 1):
                window = range(start, start + len(member))
                if any(i in used for i in window) or query_stems[start : start + len(member)] != member_stems:
                    continue
                used.update(window)
                alternatives = [phrase(other) for other in group if phrase(other)]
                terms.append(Term(" ".join(query_words[i] for i in window), list(dict.fromkeys(alternatives))))
    # 2–5. The remaining words, one term each.
    corrections = {}
    for i, word in enumerate(query_words):
        if i in used:
            continue
        stem = stems.get(word, "")
        if not stem:
            continue  # a stop word
        term = Term(word, required=word in required_numbers)
        if stem in known:
            term.alternatives.append(tsquery_literal(stem))
        elif word.isdigit() or len(word) < MIN_PREFIX:
            pass
        else:
            offered = _unknown(word)
            if offered.prefix:
                term.alternatives.append(tsquery_literal(word, prefix=True))
                if stem != word:
                    term.alternatives.append(tsquery_literal(stem, prefix=True))
            term.alternatives += [tsquery_literal(other) for other in offered.others]
            if offered.nearest:
                term.correction = offered.nearest[0]
                corrections[word] = offered.nearest[0]
                term.alternatives.append(tsquery_literal(offered.nearest[1]))
        if term.alternatives:
            terms.append(term)
        else:
            ignored.append(word)
    suggestion = " ".join(corrections.get(word, word) for word in words(query)) if corrections else ""
    return ParsedQuery(terms=terms, ignored=ignored, suggestion=suggestion)
