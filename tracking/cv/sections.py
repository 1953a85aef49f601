"""Pure functions over CV text: sections by heading (en, fr, de, es, ja), years of experience from date ranges, and
whether contact details are present. No ORM, no I/O; ``today`` is passed in so results are reproducible."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

# kind -> headings as written in CVs, compared after _heading_key (case-folded, accents kept, punctuation dropped).
HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary", "profile", "professional summary", "career summary", "about me", "objective", "career objective",
        "personal profile", "profil", "profil professionnel", "résumé", "à propos", "kurzprofil", "über mich",
        "zusammenfassung", "perfil", "perfil profesional", "resumen", "sobre mí", "自己pr", "自己紹介", "職務要約",
        "プロフィール",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "employment", "employment history",
        "work history", "career history", "relevant experience", "experience professionnelle",
        "expérience", "expérience professionnelle", "expériences", "expériences professionnelles",
        "parcours professionnel",
        "berufserfahrung", "beruflicher werdegang", "berufspraxis", "werdegang", "experiencia", "experiencia laboral",
        "experiencia profesional", "historial laboral", "職歴", "職務経歴", "職務経歴書", "学歴・職歴", "経歴",
    ),
    "education": (
        "education", "academic background", "education and training", "qualifications", "formation",
        "formations", "études", "diplômes", "ausbildung", "bildungsweg", "schulbildung", "studium", "educación",
        "formación", "formación académica", "estudios", "学歴",
    ),
    "skills": (
        "skills", "technical skills", "key skills", "core skills", "core competencies", "competencies", "expertise",
        "tools", "technologies", "compétences", "compétences techniques", "kenntnisse", "fähigkeiten",
        "fachkenntnisse", "it kenntnisse", "kompetenzen", "habilidades", "competencias", "conocimientos",
        "aptitudes", "スキル", "技術", "保有スキル", "テクニカルスキル",
    ),
    "languages": (
        "languages", "language skills", "langues", "compétences linguistiques", "sprachen", "sprachkenntnisse",
        "idiomas", "語学", "語学力", "言語",
    ),
    "certifications": (
        "certifications", "certificates", "licenses", "licences", "licenses and certifications", "certificats",
        "zertifikate", "zertifizierungen", "certificaciones", "certificados", "資格", "免許・資格", "資格・免許",
    ),
    "projects": ("projects", "key projects", "projets", "projekte", "proyectos", "プロジェクト"),
    "other": (
        "interests", "hobbies", "references", "publications", "awards", "volunteering", "volunteer experience",
        "centres d'intérêt", "loisirs", "références", "interessen", "hobbys", "referenzen", "intereses",
        "aficiones", "referencias", "趣味", "賞罰",
    ),
}  # fmt: skip

MAX_HEADING_CHARS = 50
_HEADING_STRIP_RE = re.compile(r"[\s:：\-–—_=*#•·|/.\d)(\[\]【】■◆●]+")


def _heading_key(line: str) -> str:
    key = unicodedata.normalize("NFKC", line).casefold()
    key = _HEADING_STRIP_RE.sub(" ", key).strip()
    return " ".join(key.split()).replace(" & ", " and ")


_HEADING_KIND: dict[str, str] = {_heading_key(heading): kind for kind, items in HEADINGS.items() for heading in items}


def heading_kind(line: str) -> str | None:
    """The section kind when the whole line is a heading ("WORK EXPERIENCE:", "## Berufserfahrung"), else None."""
    if not line.strip() or len(line.strip()) > MAX_HEADING_CHARS:
        return None
    key = _heading_key(line)
    if key in _HEADING_KIND:
        return _HEADING_KIND[key]
    # "学歴・職歴" style joined Japanese headings and "Skills & Tools"
    for separator in ("・", " and ", " und ", " et ", " y "):
        if separator in key:
            first = key.split(separator, 1)[0].strip()
            if first in _HEADING_KIND:
                return _HEADING_KIND[first]
    return None


# Every line separator str.splitlines knows, turned into "\n" so the text can be cut by position.
_LINE_BREAKS_RE = re.compile("\r\n?|[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# A heading has a letter in it. Searching for the next letter is the regex engine's fast character scan (C), so blank
# lines, digit runs and punctuation cost nothing in Python; each line with a letter is looked at once, and only
# when it is short enough to be a heading (5 MB of newlines: ~550 -> ~5 ms; of digits: ~3 ms).
MAX_HEADING_LINE_CHARS = 2 * MAX_HEADING_CHARS  # a heading line padded with as many blanks again still counts
# Letters of the five languages' scripts (Latin with its accents, kana, CJK, full-width Latin), spelt as ranges: a set
# of ranges is what lets the engine skip ahead in C (a category such as [^\W\d_] is tried position by position).
_LETTER_RE = re.compile("[A-Za-z\u00c0-\u024f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff21-\uff3a\uff41-\uff5a]")
_OTHER_LINE_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def cv_sections_split(text: str) -> list[dict]:
    """Ordered sections ``{kind, heading, text, start_line}``; ``start_line`` is the 1-based line of the heading.

    Text before the first heading is a section of kind "header" (name and contact lines) with an empty heading.
    Lines are those of ``str.splitlines``; a heading line is at most ``MAX_HEADING_LINE_CHARS`` long.
    """
    if any(separator in text for separator in _OTHER_LINE_BREAKS):  # each test is a C scan; the sub is not
        text = _LINE_BREAKS_RE.sub("\n", text)
    kinds: dict[str, str | None] = {}  # a CV repeats lines (bullets, dates); each distinct one is judged once
    headings: list[tuple[int, int, str, str]] = []  # (start, end, kind, heading)
    position = 0
    while (letter := _LETTER_RE.search(text, position)) is not None:
        start = text.rfind("\n", 0, letter.start()) + 1
        end = text.find("\n", letter.start())
        end = len(text) if end < 0 else end
        position = end + 1
        if end - start > MAX_HEADING_LINE_CHARS:
            continue
        line = text[start:end]
        if line not in kinds:
            kinds[line] = heading_kind(line)
        if kinds[line] is not None:
            headings.append((start, end, kinds[line], line.strip()))
    result = []
    header = text[: headings[0][0] if headings else len(text)].strip()
    if header:
        result.append({"kind": "header", "heading": "", "text": header, "start_line": 1})
    line_number, counted_to = 1, 0
    for index, (start, end, kind, heading) in enumerate(headings):
        line_number += text.count("\n", counted_to, start)
        counted_to = start
        body_end = headings[index + 1][0] if index + 1 < len(headings) else len(text)
        result.append({"kind": kind, "heading": heading, "text": text[end:body_end].strip(), "start_line": line_number})
    return result


# ---------------------------------------------------------------------------------------------------------------------
# Years of experience
# ---------------------------------------------------------------------------------------------------------------------
MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "jan january janv janvier januar jänner enero ene",
        "feb february fév févr février februar febrero",
        "mar march mars märz marzo",
        "apr april avr avril abril abr",
        "may mai mayo",
        "jun june juin juni junio",
        "jul july juil juillet juli julio",
        "aug august août agosto ago",
        "sep sept september septembre septiembre",
        "oct october octobre oktober okt octubre",
        "nov november novembre noviembre",
        "dec december déc décembre dezember dez diciembre dic",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_PRESENT = (
    r"present|current|now|today|ongoing|heute|aktuell|jetzt|dato|aujourd'hui|aujourd’hui|actuel|actuellement|"
    r"présent|en cours|presente|actualidad|actual|la fecha|現在|至今|今"
)
_MONTH_NAME = r"(?<![^\W\d_])(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"


def _point(p: str) -> str:
    """A point in time: "03/2019", "03.2019", "2019-03", "March 2019", "2019年4月", "2019"; groups prefixed ``p``."""
    return (
        rf"(?:(?P<{p}m1>\d{{1,2}})\s*[/.]\s*(?P<{p}y1>(?:19|20)\d\d)"
        rf"|(?P<{p}y2>(?:19|20)\d\d)\s*-\s*(?P<{p}m2>\d{{1,2}})(?!\d)"
        rf"|(?P<{p}mn>{_MONTH_NAME})\s+(?P<{p}y3>(?:19|20)\d\d)"
        rf"|(?P<{p}y4>(?:19|20)\d\d)\s*年\s*(?:(?P<{p}m4>\d{{1,2}})\s*月)?"
        rf"|(?P<{p}y5>(?:19|20)\d\d))"
    )


_DASH = r"\s*(?:-|–|—|~|～|〜|to|until|bis|à|au|a|hasta)\s*"
_RANGE_RE = re.compile(
    rf"(?<![\d/.])(?P<start>{_point('s')}){_DASH}(?P<end>{_point('e')}|(?P<present>{_PRESENT}))"
    r"(?![\d/])",
    re.IGNORECASE,
)
_SINCE_RE = re.compile(
    rf"(?:since|seit|depuis|desde)\s+(?P<start>{_point('s')})(?![\d/])",
    re.IGNORECASE,
)
MAX_RANGE_MONTHS = 50 * 12
EARLIEST_YEAR = 1950


def _point_month(match: re.Match, prefix: str) -> tuple[int, int | None] | None:
    """(year, month or None) of the point captured under ``prefix``, or None when it is not a date."""
    groups = match.groupdict()
    for year_key, month_key in (("y1", "m1"), ("y2", "m2"), ("y3", "mn"), ("y4", "m4"), ("y5", None)):
        year = groups.get(prefix + year_key)
        if not year:
            continue
        month_value = groups.get(prefix + month_key) if month_key else None
        if month_key == "mn":
            month = MONTHS.get(month_value.rstrip(".").casefold())
            if month is None:
                return None
        else:
            month = int(month_value) if month_value else None
            if month is not None and not 1 <= month <= 12:
                return None
        return int(year), month
    return None


def _interval(start: tuple[int, int | None], end: tuple[int, int | None]) -> tuple[int, int] | None:
    """Months since year 0 for both ends. A year without a month counts from its January to the end's January, so
    "2018 – 2023" is five years and "2018 – 2018" is none: the conservative reading."""
    start_year, start_month = start
    end_year, end_month = end
    if start_month is None or end_month is None:
        start_month = end_month = 1
    first = start_year * 12 + start_month - 1
    last = end_year * 12 + end_month - 1
    if last < first or last - first > MAX_RANGE_MONTHS or start_year < EARLIEST_YEAR:
        return None
    return first, last


def date_ranges(text: str, *, today: date) -> list[tuple[int, int]]:
    """Employment intervals found in ``text`` as (first, last) month numbers; ranges in the future are dropped."""
    now = (today.year, today.month)
    now_index = today.year * 12 + today.month - 1
    intervals: list[tuple[int, int]] = []
    for line in text.splitlines():
        line = unicodedata.normalize("NFKC", line)
        for match in _RANGE_RE.finditer(line):
            start = _point_month(match, "s")
            end = now if match.group("present") else _point_month(match, "e")
            if start is None or end is None:
                continue
            interval = _interval(start, end)
            if interval and interval[1] <= now_index:
                intervals.append(interval)
        for match in _SINCE_RE.finditer(line):
            start = _point_month(match, "s")
            if start is None:
                continue
            interval = _interval((start[0], start[1] or 1), now)
            if interval:
                intervals.append(interval)
    return intervals


def experience_years(sections: list[dict], *, today: date) -> int | None:
    """Whole years covered by the date ranges in the experience sections, overlaps counted once.

    None when the CV has no experience section or it holds no date range: an unknown is not zero.
    """
    text = "\n".join(section["text"] for section in sections if section["kind"] == "experience")
    intervals = sorted(date_ranges(text, today=today))
    if not intervals:
        return None
    total_months = 0
    current_first, current_last = intervals[0]
    for first, last in intervals[1:]:
        if first <= current_last:
            current_last = max(current_last, last)
            continue
        total_months += current_last - current_first
        current_first, current_last = first, last
    total_months += current_last - current_first
    return total_months // 12


# ---------------------------------------------------------------------------------------------------------------------
# Contact details (presence only: the values are never copied out of the text)
# ---------------------------------------------------------------------------------------------------------------------
# Whether an address is present, not where it is: "x@host.tld" exists exactly when some "@" has a local-part character
# before it and "host." then a domain character after it. Anchoring on the "@" keeps the scan linear; the old
# ``[\w.+-]+@...`` restarted at every character of a long word run and rescanned it (quadratic: 100,000 letters took
# ~26 s). The literal "@" first lets the engine skip to each "@" (5 MB without one: ~1 ms); the possessive ``++``
# cannot backtrack, and "." is not in the class it ends.
_EMAIL_RE = re.compile(r"@(?<=[\w.+-]@)[\w-]++\.[\w-]")
# "(?<![\w/.-])(?:\+|00)?\d[\d\s().-]{7,18}\d(?![\w/-])" written to start with a character class, so the engine skips
# to the next "+" or digit in C instead of trying its lookbehind at every position (5 MB of blanks: ~400 -> ~20 ms);
# the lookbehinds after the first character say the same as the original's before it. The first character is spelt
# as ranges (ASCII and full-width digits, the ones CVs in our five languages write) rather than \d: a set of ranges
# is what the engine can skip over in C (5 MB of digits: ~220 -> ~150 ms).
_FIRST_DIGIT = "+0-9\uff10-\uff19"
_PHONE_RE = re.compile(
    rf"[{_FIRST_DIGIT}](?<![\w/.-][{_FIRST_DIGIT}])(?:(?<=\+)\d|(?<=0)0\d|(?<=\d))[\d\s().-]{{7,18}}\d(?![\w/-])"
)


@lru_cache(maxsize=4096)
def _phone_like(candidate: str) -> bool:
    """8 to 15 digits and not a date range. Cached: a text of repeated date ranges ("2019 - 2020 - ...") offers the
    same candidates again and again."""
    digits = sum(1 for char in candidate if char.isdecimal())
    return 8 <= digits <= 15 and not _RANGE_RE.search(candidate)


def contact_flags(text: str) -> dict[str, bool]:
    """Whether the CV shows an email address and a phone number. Date ranges are not phone numbers. Read once
    NFKC-normalised: Japanese CVs write numbers with full-width digits and hyphens (０９０－１２３４－５６７８)."""
    text = unicodedata.normalize("NFKC", text)
    has_phone = any(_phone_like(match.group(0)) for match in _PHONE_RE.finditer(text))
    return {"has_email": bool(_EMAIL_RE.search(text)), "has_phone": has_phone}


_LINK_RE = re.compile(r"https?://|www\.|linkedin\.com|xing\.com|github\.com", re.IGNORECASE)


def has_contact_details(line: str) -> bool:
    """Whether ``line`` shows an email address, a phone number or a link: such a line is nobody's evidence for a
    skill (tracking.cv.keyword_match quotes only the part of it that names the skill)."""
    line = unicodedata.normalize("NFKC", line)
    return bool(_EMAIL_RE.search(line) or _LINK_RE.search(line)) or any(
        _phone_like(match.group(0)) for match in _PHONE_RE.finditer(line)
    )
