"""Which language a CV or posting is written in, line by line, so mixed documents are read for what they are.

A small detector of our own rather than a statistical package: the question is only "which of our five languages,
or another", CVs are short lines full of names and acronyms, and the answer must be the same on every run and cost
microseconds. The script decides first (kana → Japanese; Hangul, Cyrillic, Arabic... → a language CVPlus does not
ship; Han characters without kana → Chinese); Latin-script lines are scored by their function words ("und", "der",
"les", "los", "the"...) in each candidate language, including Italian, Portuguese, Dutch and Polish so that such a CV is
reported as not shipped rather than read as Spanish or German. (lingua-language-detector is more accurate on prose,
but loads hundreds of MB of models for all languages and still needs this script logic for the not-shipped verdict.)

Pure: no ORM, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

SHIPPED = ("en", "de", "fr", "es", "ja")
UNDETERMINED = "und"
MAX_LINES = 400  # enough to judge a CV; a 100,000-character text is not read line by line to the end
MIN_LINE_WORDS = 3
MIN_DOCUMENT_HITS = 2  # function words needed to name the language of a text made only of short lines
MIN_SHARE_MIXED = 0.2  # a second language on at least this share of the judged characters makes a document mixed

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": "the and of to in for with on at from by is are was were our you your we this that as an be have has "
        "will which or their other experience education skills languages present university",
        "de": "und der die das den dem des mit für von zu im in ist sind wir sie ihr ihre ihren eine einer einem ein "
        "auf bei als auch nicht oder sowie über durch wird werden unsere bis berufserfahrung ausbildung kenntnisse "
        "sprachen heute",
        "fr": "et le la les des du de un une pour avec dans sur au aux est sont nous vous votre vos en par qui que "
        "ou ainsi chez son ses leur expérience compétences langues aujourd'hui données",
        "es": "y el la los las del de un una para con en por es son nuestro nuestra nuestros su sus que o como "
        "al se muy entre sobre experiencia formación habilidades idiomas actualidad datos",
        "it": "il lo gli della dello delle degli e di per con nel nella sono siamo un una che ai alla alle anche",
        "pt": "o os as da das do dos e em para com no na nos nas um uma que são é pela pelo também",
        "nl": "het de een en van voor met op in is zijn wij jij je onze bij aan ook niet naar",
        "pl": "i w na z do się jest są oraz dla przez jak od po nie że",
    }.items()
}
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_KANA_RE = re.compile("[\u3040-\u30ff]")
# Script -> language code reported for it (none of them shipped).
_SCRIPTS = (
    (re.compile("[\uac00-\ud7af\u1100-\u11ff]"), "ko"),
    (re.compile("[\u0400-\u04ff]"), "ru"),
    (re.compile("[\u0600-\u06ff]"), "ar"),
    (re.compile("[\u0370-\u03ff]"), "el"),
    (re.compile("[\u0590-\u05ff]"), "he"),
    (re.compile("[\u0900-\u097f]"), "hi"),
    (re.compile("[\u0e00-\u0e7f]"), "th"),
    (re.compile("[\u4e00-\u9fff]"), "zh"),  # after kana: Han characters with kana are Japanese
)


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, or "und" when the text has too few words to tell
    shipped: bool  # one of the five languages CVPlus reads fully
    mixed: tuple[str, ...] = ()  # every language with a real share of the lines, main first, when more than one

    def as_dict(self) -> dict:
        return {"code": self.code, "shipped": self.shipped, "mixed": list(self.mixed)}


def line_language(line: str) -> str:
    """The language of one line, or "und" when it has too few words (names, dates, a list of tools)."""
    if _KANA_RE.search(line):
        return "ja"
    for pattern, code in _SCRIPTS:
        if pattern.search(line):
            return code
    words = [word.casefold() for word in _WORD_RE.findall(line)]
    if len(words) < MIN_LINE_WORDS:
        return UNDETERMINED
    scores = Counter(
        {language: sum(word in vocabulary for word in words) for language, vocabulary in _FUNCTION_WORDS.items()}
    )
    (best, score), *rest = scores.most_common(2) + [("", 0)]
    if score == 0 or (rest and rest[0][1] == score):
        return UNDETERMINED
    return best


CACHED_TEXT_CHARS = 20_000  # a CV's or a posting's lines, read again by every requirement of a match


def language_detect(text: str) -> Language:
    """``_language_detect``, remembered for texts up to CACHED_TEXT_CHARS (the match asks once per line it reads)."""
    return _language_detect_cached(text) if len(text) <= CACHED_TEXT_CHARS else _language_detect(text)


@lru_cache(maxsize=4096)
def _language_detect_cached(text: str) -> Language:
    return _language_detect(text)


def _language_detect(text: str) -> Language:
    """The document's main language by characters of judged lines, and the others when it is mixed; "und" when no
    line can be judged (an empty or binary text, a list of names)."""
    weights: Counter[str] = Counter()
    words_seen: Counter[str] = Counter()  # function words of short lines, for a CV made only of short lines
    judged = 0
    for line in text.splitlines():
        if judged == MAX_LINES:
            break
        line = unicodedata.normalize("NFKC", line[:1000]).strip()
        if not line:
            continue
        judged += 1
        language = line_language(line)
        if language != UNDETERMINED:
            weights[language] += len(line)
        elif not weights:
            words_seen.update(word.casefold() for word in _WORD_RE.findall(line))
    if not weights:
        scores = Counter(
            {
                language: sum(count for word, count in words_seen.items() if word in vocabulary)
                for language, vocabulary in _FUNCTION_WORDS.items()
            }
        )
        ranked = scores.most_common(2)
        if not ranked or ranked[0][1] < MIN_DOCUMENT_HITS or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return Language(code=UNDETERMINED, shipped=False)
        return Language(code=ranked[0][0], shipped=ranked[0][0] in SHIPPED)
    total = sum(weights.values())
    ranked = [language for language, weight in weights.most_common() if weight / total >= MIN_SHARE_MIXED]
    main = weights.most_common(1)[0][0]
    return Language(code=main, shipped=main in SHIPPED, mixed=tuple(ranked) if len(ranked) > 1 else ())
