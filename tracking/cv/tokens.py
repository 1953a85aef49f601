"""Tokens of CV and posting text in the five languages CVPlus ships, with their positions.

Latin-script text is cut by one regular expression (words, and names such as "C++", "C#", ".NET", "node.js").
Japanese has no spaces: a run of kana and kanji is cut into morphemes by SudachiPy with the SudachiDict core
dictionary (split mode A, the shortest units, so "機械学習" is "機械 学習" both in the text and in an alias and a
compound is found inside a longer one). The analyser is loaded on the first Japanese text only (~0.2 s, ~200 MB of
dictionary mapped read-only), so a process that never reads Japanese never pays for it.

German writes compounds as one word ("Datenanalyse", "Wundversorgung"). ``compound_heads`` offers the known
compound labels a long word ends with, so "Versorgungsdatenanalyse" finds "Datenanalyse"; only labels the index
knows are offered, never an arbitrary split, so "Analyse" alone is not made a skill.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

# An e-mail address, a link or a telephone number: the line is contact details, never a skill or a requirement's
# evidence ("Baltimore, MD · g.adeyemi@example.com" names no MD).
CONTACT_RE = re.compile(r"@[\w-]+\.\w|https?://|www\.|linkedin\.com|(?:\+|\b0)\d[\d ()./-]{6,}\d")
_TOKEN_RE = re.compile(r"(?:(?<![\w.])\.)?[^\W_](?:[\w+#.]*[\w+#])?")
_CJK_RE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
MAX_JAPANESE_CHARS = 100_000  # analysed per text (the CV read budget); past this runs are read whole
# A run of Japanese script without punctuation (、。 end runs) longer than this is junk, not a phrase: not analysed.
MAX_JAPANESE_RUN_CHARS = 1_000


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of a regular-expression token (a Japanese morpheme), shaped like the ``re.Match`` it replaces."""

    text: str
    begin: int
    finish: int

    def group(self, _index: int = 0) -> str:
        return self.text

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish


_sudachi_lock = threading.Lock()
_sudachi: list = []  # [tokenizer, split mode] once loaded


def _japanese_analyser():
    with _sudachi_lock:
        if not _sudachi:
            from sudachipy import Dictionary, SplitMode

            # Only the surface is read: the smallest subset of morpheme fields to load.
            _sudachi.extend((Dictionary(dict="core").tokenizer(mode=SplitMode.A, fields=set()), SplitMode.A))
        return _sudachi[0]


def _morphemes(token: re.Match, budget: list[int]) -> list[Token | re.Match]:
    text = token.group(0)
    if len(text) > min(budget[0], MAX_JAPANESE_RUN_CHARS):
        return [token]
    budget[0] -= len(text)
    analyser = _japanese_analyser()
    offset = token.start()
    pieces: list[Token | re.Match] = []
    with _sudachi_lock:  # a SudachiPy tokenizer is not safe to share between threads
        morphemes = [(morpheme.surface(), morpheme.begin(), morpheme.end()) for morpheme in analyser.tokenize(text)]
    for surface, begin, end in morphemes:
        if surface.strip() and any(char.isalnum() for char in surface):
            pieces.append(Token(surface, offset + begin, offset + end))
    return pieces


def token_matches(text: str) -> list[re.Match | Token]:
    """The tokens of ``text`` with their positions: words, names such as "C++", "C#", ".NET", "node.js", and
    Japanese morphemes. Each has ``group(0)``, ``start()`` and ``end()``."""
    matches = list(_TOKEN_RE.finditer(text))
    if not _CJK_RE.search(text):
        return matches
    budget = [MAX_JAPANESE_CHARS]
    tokens: list[re.Match | Token] = []
    for match in matches:
        if _CJK_RE.search(match.group(0)):
            tokens.extend(_morphemes(match, budget))
        else:
            tokens.append(match)
    return tokens


def has_japanese(text: str) -> bool:
    return _CJK_RE.search(text) is not None


# ---------------------------------------------------------------------------------------------------------------------
# German compounds
# ---------------------------------------------------------------------------------------------------------------------
MIN_COMPOUND_CHARS = 9  # "Wundpflege" and longer; shorter words are rarely compounds of a known label
MIN_HEAD_CHARS = 6  # the label found inside: "analyse" would be too general, "datenanalyse" is not
MIN_MODIFIER_CHARS = 3
# Inflection endings tried after the head ("Datenanalysen", "Projektmanagements").
_GERMAN_ENDINGS = ("", "s", "es", "n", "en", "e", "er")


def compound_heads(word: str, heads: frozenset[str]) -> list[str]:
    """The known compound label (case-folded, one word) that ``word`` is, inflected, or ends with after a modifier of
    at least ``MIN_MODIFIER_CHARS`` letters, the longest: "versorgungsdatenanalysen" -> ["datenanalyse"]."""
    folded = word.casefold()
    if len(folded) < MIN_COMPOUND_CHARS or not folded.isalpha():
        return []
    found = []
    for ending in _GERMAN_ENDINGS:
        stem = folded[: len(folded) - len(ending)] if ending else folded
        if ending and not folded.endswith(ending):
            continue
        for start in (0, *range(MIN_MODIFIER_CHARS, len(stem) - MIN_HEAD_CHARS + 1)):
            head = stem[start:]
            if head in heads:
                found.append(head)
                break
        if found:
            break
    return found
