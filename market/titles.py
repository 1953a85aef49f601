"""A posting's job title cut down to the words that name the occupation, before occupation matching.

Postings decorate titles: "Registered Nurse - Medical/Surgical (Nights)", "Softwareentwickler (m/w/d) in Berlin",
"Software Engineer, Toronto", "Chef de projet IT H/F - CDI", "【東京】バックエンドエンジニア（Go）／正社員",
"Senior Data Engineer #R0123456". Occupation titles (O*NET, ESCO, the salary surveys) carry none of that, so an exact
lookup misses and a fuzzy one scores the decoration. ``title_clean`` keeps the title proper:

- bracketed text is removed: () [] {} <> 【】「」『』《》〈〉〔〕≪≫ (full-width forms are NFKC-folded first) and text
  between paired decorations such as ★...★;
- gender tags of German, French, Spanish and Dutch postings ("m/w/d", "H/F", "h/m", "m/f/d", "m/v/x") and
  gender endings ("Entwickler/in", "Entwickler:in", "Desarrollador/a", "Ingénieur·e", "Kaufmann/-frau") go;
- requisition ids go ("Req ID: R0123456", "Job #4521", "JR-104233", "#12345", a 6+ digit number at either end);
- the title is split at separators (" - ", " – ", " — ", " | ", " / ", " · ", ", ", "; ", " @ ", a gender tag, and
  in Japanese an unspaced "/"), and the first part is kept: what follows a separator is a specialty, a location, a
  shift or an employer ("Registered Nurse", not "Medical/Surgical"; "Software Engineer", not "Toronto"). When the
  first part is only rank words ("Director - Data Science", "Vice President, Engineering", "Werkstudent (m/w/d)
  Data Science") the next part is kept with it, since the rank alone names no occupation;
- work-arrangement and shift words at the end go ("Remote", "Nights", "PRN", "CDI", "Vollzeit", "正社員", "募集"),
  and a first part made only of them ("Remote - Software Engineer").

Kept on purpose: seniority words ("Senior", "Staff", "Lead": the occupation matcher and market.seniority read them),
specialisations written into the title itself ("ICU Nurse", "Medical-Surgical Nurse", "UI/UX Designer", "C++
Developer"), unspaced hyphens and slashes, and the original letter case. What was removed is returned too
(``TitleParts.removed``), so a seniority word written in brackets or after a dash ("Data Scientist (Senior)",
"Ingénieur DevOps - Confirmé") can still be read.

Known limits: a location or employer written first ("Berlin - Software Engineer") is kept, and one written without a
separator ("Software Engineer Toronto") too: there is no gazetteer of cities to recognise it by.

Pure: no ORM, no I/O. Every pattern is linear in the length of the title (no nested quantifiers; whitespace is
collapsed before the separators are looked for).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Opening bracket -> closing bracket, after NFKC (which folds full-width "（［｛＜" to ASCII but keeps the CJK ones).
BRACKETS: dict[str, str] = {
    "(": ")",
    "[": "]",
    "{": "}",
    "<": ">",
    "【": "】",
    "「": "」",
    "『": "』",
    "《": "》",
    "〈": "〉",
    "〔": "〕",
    "≪": "≫",
    "〖": "〗",
}
_CLOSERS = frozenset(BRACKETS.values())
# Symbols used in pairs as brackets in Japanese postings ("★未経験歓迎★営業"); an unpaired one is dropped.
PAIRED_DECORATIONS = frozenset("★☆◆◇■□●○▼▲◎♪※")
_DECORATIONS = PAIRED_DECORATIONS | frozenset("♦•►▶✓✔✨🔥")

# A gender tag: two or three single letters from the tags in use, slash-separated, standing alone
# ("m/w/d", "w/m/d", "m/f/d", "H/F", "F/H", "h/m", "m/v/x", "f/m/x").
_GENDER_TAG_RE = re.compile(
    r"(?:[(\[] ?)?(?<![\w/])[mwfhdxv] ?/ ?[mwfhdxv](?: ?/ ?[mwfhdxv]){0,2}(?![\w/])(?: ?[)\]])?", re.IGNORECASE
)
# Written-out tags, matched on whole words: "(all genders)", "(alle Geschlechter)", "(gn)", "(tous genres)".
_GENDER_WORDS_RE = re.compile(
    r"(?<!\w)(?:all genders|alle geschlechter|tous genres|todos los géneros|gn\*?)(?!\w)", re.IGNORECASE
)
# Gender endings on a word, lower case only so "UI/UX" and "Data/AI" stay: "/in", "/-in", ":in", "*in", "_innen",
# "/a", "/-frau"; and French inclusive writing with a middle dot or a period: "·e", ".euse", "·rice".
_GENDER_ENDING_RE = re.compile(
    r"(?<=[a-zà-ÿß])(?:/-?|:|\*|_)(?:in|innen|a|as|frau|e|es)(?![\w-])"
    r"|(?<=[a-zà-ÿ])[·.](?:e|es|euse|euses|se|rice|rices|ère|ne|le)(?![\w-])"
)
_ID_KEYWORDS = frozenset({"req", "requisition", "ref", "reference", "id", "nr", "n°", "no", "job", "jobid", "#"})
_ID_TOKEN_RE = re.compile(r"#?[A-Za-z]{0,4}[-_]?\d[\w-]*")
_HASH_ID_RE = re.compile(r"#\d{3,}[\w-]*")
_PREFIXED_ID_RE = re.compile(r"[A-Za-z]{1,4}[-_]?\d{5,}")
_LONG_NUMBER_RE = re.compile(r"\d{6,}")

_CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff"
_SEPARATOR_RE = re.compile(
    r" (?:[-–—‒―|/·•@]{1,3}|::) | ?[|;,、] ?"  # spaced dashes, bars, slashes; commas and semicolons
    rf"|(?<=[{_CJK}])/|/(?=[{_CJK}])"  # an unspaced slash next to Japanese script
)
# Words that say a rank, not an occupation: a first part made only of them is joined with the next part.
RANK_ONLY_WORDS = frozenset(
    """
    senior sr junior jr mid level entry lead principal staff head of chief vice president vp svp evp avp
    director manager executive associate assistant deputy intern trainee graduate apprentice
    directeur directrice adjoint adjointe responsable chef de du des la le stagiaire alternant alternante
    leiter leiterin leitung werkstudent werkstudentin praktikant praktikantin praktikum trainee
    jefe jefa director directora gerente responsable becario becaria prácticas practicas del y et and
    """.split()
)
# Work arrangement, contract and shift words, dropped at the end of the kept part (lower case, whole words).
_ARRANGEMENT_WORDS = frozenset(
    """
    remote hybrid onsite on-site urgent urgently hiring wanted needed new full-time part-time prn per-diem
    temporary temp contract freelance days nights evenings weekends nocturne nuit nuits cdi cdd alternance
    vollzeit teilzeit befristet unbefristet remoto híbrido hibrido presencial urgente dringend turno noche
    """.split()
)
_ARRANGEMENT_PHRASES = (
    ("full", "time"),
    ("part", "time"),
    ("per", "diem"),
    ("day", "shift"),
    ("night", "shift"),
    ("now", "hiring"),
    ("temps", "plein"),
    ("temps", "partiel"),
    ("in", "vollzeit"),
    ("in", "teilzeit"),
    ("jornada", "completa"),
    ("media", "jornada"),
)
# Japanese work-arrangement words and "hiring" suffixes, stripped from the end of the kept part.
_JA_SUFFIXES = (
    *("大募集", "募集中", "募集", "急募"),
    *("正社員", "契約社員", "派遣社員", "アルバイト", "パート", "夜勤", "日勤"),
)
_EDGE_PUNCTUATION = " .,:;!?¡¿-–—*•·/|_~='\""
# Not stripped: "+" and "#" end "C++" and "C#"; a leading "." starts ".NET".
_LEADING_PUNCTUATION = _EDGE_PUNCTUATION.replace(".", "")


@dataclass(frozen=True)
class TitleParts:
    core: str  # the title proper, original case, single-spaced; never empty for a title with a letter in it
    removed: tuple[str, ...]  # what was cut: decorations, tags, bracketed text, ids, then the parts after the kept one


def _remove_brackets(text: str, removed: list[str]) -> str:
    """Text outside brackets, nesting allowed; an unclosed bracket runs to the end, a stray closer is dropped."""
    kept: list[str] = []
    inner: list[str] = []
    stack: list[str] = []
    for char in text:
        if char in BRACKETS:
            stack.append(BRACKETS[char])
            inner.append(" ")
        elif stack and char == stack[-1]:
            stack.pop()
            inner.append(" ")
            if not stack:
                removed.append("".join(inner))
                inner = []
                kept.append(" ")
        elif stack:
            inner.append(char)
        elif char not in _CLOSERS:
            kept.append(char)
    if inner:
        removed.append("".join(inner))
    return "".join(kept)


def _remove_paired_decorations(text: str, removed: list[str]) -> str:
    """ "★未経験歓迎★営業" -> "営業": text between two of the same decoration goes; a lone one is dropped."""
    kept: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char in PAIRED_DECORATIONS:
            end = text.find(char, position + 1)
            if end != -1:
                removed.append(text[position + 1 : end])
                kept.append(" ")
                position = end + 1
                continue
        kept.append(" " if char in _DECORATIONS else char)
        position += 1
    return "".join(kept)


def _remove_ids(text: str, removed: list[str]) -> str:
    """Requisition ids: a keyword followed by a token with 3+ digits ("Req ID: R0123456", "Job #4521"), "#12345",
    a letter-prefixed number of 5+ digits ("JR-104233"), and a 6+ digit number at either end."""
    words = text.split(" ")
    kept: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        bare = word.strip(".,:;()[]").casefold()
        if bare in _ID_KEYWORDS or bare.rstrip(":#.") in _ID_KEYWORDS:
            # the keyword, an optional second keyword ("Job ID"), then the id itself
            look = index + 1
            while look < len(words) and look <= index + 2 and words[look].strip(".:#").casefold() in _ID_KEYWORDS:
                look += 1
            if look < len(words) and _is_id(words[look].strip(".,:;#()")):
                removed.append(" ".join(words[index : look + 1]))
                index = look + 1
                continue
        stripped = word.strip(".,:;()[]")
        at_end = index == 0 or index == len(words) - 1
        if (
            _HASH_ID_RE.fullmatch(stripped)
            or _PREFIXED_ID_RE.fullmatch(stripped)
            or (at_end and _LONG_NUMBER_RE.fullmatch(stripped))
        ):
            removed.append(word)
        else:
            kept.append(word)
        index += 1
    return " ".join(kept)


def _is_id(token: str) -> bool:
    return bool(_ID_TOKEN_RE.fullmatch(token)) and sum(char.isdigit() for char in token) >= 3


def _is_rank_only(part: str) -> bool:
    words = [word.strip(".,'’").casefold() for word in re.split(r"[\s'’-]+", part) if word.strip(".,'’")]
    return bool(words) and all(word in RANK_ONLY_WORDS for word in words)


def _has_letter(text: str) -> bool:
    return any(char.isalpha() for char in text)


def _strip_arrangement(words: list[str], removed: list[str]) -> list[str]:
    """Drops work-arrangement and shift words (and two-word phrases) at the end, never the last word left. Not at
    the start: there they are often the occupation's own words ("Remote Sensing Analyst", "Contract Specialist",
    "Urgent Care Physician", "New Accounts Clerk" are O*NET titles)."""
    keys = [word.strip(_EDGE_PUNCTUATION).casefold() for word in words]
    end = len(words)
    while end > 1:
        if end > 2 and (keys[end - 2], keys[end - 1]) in _ARRANGEMENT_PHRASES:
            removed.append(" ".join(words[end - 2 : end]))
            end -= 2
        elif keys[end - 1] in _ARRANGEMENT_WORDS:
            removed.append(words[end - 1])
            end -= 1
        else:
            break
    return words[:end]


def _only_arrangement(part: str) -> bool:
    words = tuple(word.strip(_EDGE_PUNCTUATION).casefold() for word in part.split())
    return words in _ARRANGEMENT_PHRASES or all(word in _ARRANGEMENT_WORDS for word in words)


def _trim(text: str) -> str:
    return text.lstrip(_LEADING_PUNCTUATION).rstrip(_EDGE_PUNCTUATION)


def _trimmed_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in _EDGE_PUNCTUATION:
        end -= 1
    return end


def _strip_japanese_suffixes(text: str, removed: list[str]) -> str:
    end = _trimmed_end(text, len(text))
    found = True
    while found:
        found = False
        for suffix in _JA_SUFFIXES:
            if text.endswith(suffix, 0, end) and end > len(suffix):
                removed.append(suffix)
                end = _trimmed_end(text, end - len(suffix))
                found = True
                break
    return text[:end]


@lru_cache(maxsize=20_000)
def title_parts(title: str) -> TitleParts:
    """The title proper and what was cut from it (see the module docstring for the rules)."""
    text = " ".join(unicodedata.normalize("NFKC", title or "").split())
    removed: list[str] = []
    text = _remove_paired_decorations(text, removed)
    # A gender tag ends the title proper in German, French and Spanish postings: it becomes a separator.
    text = _GENDER_TAG_RE.sub(lambda match: removed.append(match.group(0)) or " | ", text)
    text = _GENDER_WORDS_RE.sub(lambda match: removed.append(match.group(0)) or " ", text)
    text = _remove_brackets(text, removed)
    text = _GENDER_ENDING_RE.sub("", text)
    text = " ".join(text.split())
    text = _remove_ids(text, removed)
    parts = [_trim(part) for part in _SEPARATOR_RE.split(text)]
    parts = [part for part in parts if _has_letter(part)]
    core = ""
    if parts:
        first = 0
        while first < len(parts) - 1 and _only_arrangement(parts[first]):  # "Remote - Software Engineer"
            removed.append(parts[first])
            first += 1
        kept = [parts[first]]
        if _is_rank_only(parts[first]) and first + 1 < len(parts):
            kept.append(parts[first + 1])
        removed.extend(part for index, part in enumerate(parts) if index > first + len(kept) - 1)
        words = _strip_arrangement(" ".join(kept).split(), removed)
        core = _trim(_strip_japanese_suffixes(" ".join(words), removed))
    if not _has_letter(core):
        # Everything was decoration ("【営業】"): the bracketed words are the title after all.
        fallback = _trim(" ".join(" ".join(removed).split()))
        core = fallback if _has_letter(fallback) else " ".join(unicodedata.normalize("NFKC", title or "").split())
    removed_parts = tuple(" ".join(part.split()) for part in removed if part.strip(_EDGE_PUNCTUATION))
    return TitleParts(core=" ".join(core.split()), removed=removed_parts)


def title_clean(title: str) -> str:
    """The title proper: "Registered Nurse - Medical/Surgical (Nights)" -> "Registered Nurse",
    "Softwareentwickler (m/w/d) in Berlin" -> "Softwareentwickler". Case is kept; match on
    ``market.text.title_normalize(title_clean(title))``."""
    return title_parts(title).core
