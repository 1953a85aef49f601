"""What a CV's text shows about the conventions in market.CVRule: pure functions, no ORM, no I/O.

Only what text can show is detected. A photo never appears in extracted text (the CV reader keeps text only), so
photo rules are advice, never findings. Detection is deliberately conservative: a pattern must name the thing
("Date of birth:", "Familienstand", "I hereby declare") or, for a bare birth date, sit among the name and contact
lines at the top; a CV that does not clearly show something is not flagged for it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.utils.formats import number_format
from django.utils.translation import ngettext

from market.models import CVRule

Check = CVRule.CheckKind

WORDS_PER_PAGE = 600  # generous: a dense one-page CV holds 400-600 words
CJK_CHARS_PER_PAGE = 1200  # an A4 page of Japanese at about 40 characters by 30 lines
PAGE_SLACK = 0.5  # an estimate must exceed the limit by half a page before it is a finding
MAX_EVIDENCE_CHARS = 200
HEADER_LINES = 12  # without parsed sections, the top lines stand in for the name-and-contact block


@dataclass(frozen=True)
class CVFacts:
    """What is known of one CV: its text, its ``parsed`` document (tracking.cv.services.cv_parse) and, for a PDF,
    its page count (None when unknown)."""

    text: str
    parsed: dict
    pages: int | None = None

    @cached_property
    def lines(self) -> tuple[tuple[str, str], ...]:
        """Every line as written (stripped) beside its NFKC form, normalised once for all the checks: NFKC can
        lengthen text up to 18 times (U+FDFA), and each check used to normalise every line again."""
        return tuple((line, unicodedata.normalize("NFKC", line)) for line in _lines(self.text))


@dataclass(frozen=True)
class Outcome:
    """``status`` is "finding" (the CV goes against the convention), "ok" (it follows it) or "advice" (nothing in
    the text to judge). ``evidence`` is the CV line behind a finding or a pass, when there is one."""

    status: str
    evidence: str = ""
    detail: str = ""


FINDING, OK, ADVICE = "finding", "ok", "advice"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# ---------------------------------------------------------------------------------------------------------------------
# Patterns (en, fr, de, es, nl, ja)
# ---------------------------------------------------------------------------------------------------------------------
# Blanks around an optional token are matched possessively (``\s*+``): "born" before a long run of spaces made the
# backtracking ``\s*:?\s*`` try every split of the run (quadratic: 10,000 spaces took 2.6 s).
DOB_LABEL_RE = _rx(
    r"\bdate\s+of\s+birth\b|\bbirth\s*date\b|\bd\.?o\.?b\b\.?\s*(?:[:\-–]|\d)|\bborn(?:\s++(?:on|in))?\s*+:?\s*+\d"
    r"|\bgeburtsdatum\b|\bgeboren\s+(?:am\s+)?\d|\bgeb\.\s*(?:am\s+)?\d"
    r"|\bdate\s+de\s+naissance\b|\bn[ée]e?(?:\(e\))?\s+le\s+\d"
    r"|\bfecha\s+de\s+nacimiento\b|\bnacid[oa]\s+el\s+\d"
    r"|\bgeboortedatum\b|\bgeboren\s+op\s+\d"
    r"|生年月日"
)
AGE_RE = _rx(
    r"\bage\s*[:：]\s*\d{2}\b|\b\d{2}\s+years\s+old\b|\bâge\s*:\s*\d{2}\b|\balter\s*:\s*\d{2}\b|\bedad\s*:\s*\d{2}\b"
    r"|\bleeftijd\s*:\s*\d{2}\b|満\s*\d{2}\s*歳|\d{2}\s*歳|年齢"
)
_MONTH_WORDS = (
    r"jan(?:uary|uar|vier)?|janv|feb(?:ruary|ruar)?|f[ée]vr?(?:ier)?|mar(?:ch|s)?|m[äa]rz|apr(?:il)?|avr(?:il)?|may|mai"
    r"|june?|juin|juni|july?|juil(?:let)?|juli|aug(?:ust)?|ao[uû]t|sep(?:t|tember|tembre)?|oct(?:ober|obre)?|okt(?:ober)?"
    r"|nov(?:ember|embre)?|dec(?:ember)?|d[ée]c(?:embre)?|dez(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio"
    r"|agosto|septiembre|octubre|noviembre|diciembre|januari|februari|maart|mei|augustus"
)
FULL_DATE_RE = _rx(
    r"(?<![\d/.\-])(?:\d{1,2}\s*[./\-]\s*\d{1,2}\s*[./\-]\s*(?P<y1>(?:19|20)\d\d)"
    r"|(?P<y2>(?:19|20)\d\d)\s*-\s*\d{1,2}\s*-\s*\d{1,2}"
    rf"|\d{{1,2}}\.?\s+(?:de\s+)?(?:{_MONTH_WORDS})\.?\s+(?:de\s+)?(?P<y3>(?:19|20)\d\d)"
    rf"|\b(?:{_MONTH_WORDS})\.?\s+\d{{1,2}},?\s+(?P<y4>(?:19|20)\d\d)"
    r"|(?P<y5>(?:19|20)\d\d)\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?![\d/.\-])"
)
MARITAL_RE = _rx(
    r"\bmarital\s+status\b|\bcivil\s+status\b|\b(?:un)?married\b|\bdivorced\b|\bwidowed\b"
    r"|\bfamilienstand\b|\bverheiratet\b|\bledig\b|\bgeschieden\b|\bverwitwet\b"
    r"|\bsituation\s+(?:de\s+famille|familiale|matrimoniale)\b|\bmarié(?:e\b|\(e\)|\b)|\bc[ée]libataire\b"
    r"|\bpacs[ée]e?\b|\bestado\s+civil\b|\bburgerlijke\s+staat\b|\b(?:on)?gehuwd\b|\bsamenwonend\b"
    r"|配偶者|既婚|未婚|扶養家族"
    r"|\b(?:\d|one|two|three|four|zwei|drei|vier|deux|trois|quatre|dos|tres|cuatro|twee|drie)\s+"
    r"(?:children|child|kids|kinder|kindern|enfants?|hij[oa]s|kinderen)\b"
)
PARENT_RE = _rx(r"\bfather['’]?s\s+name\b|\bmother['’]?s\s+name\b")
NATIONALITY_RE = _rx(
    r"\bnationality\b|\bcitizenship\s*[:：]|\bstaatsangeh[öo]rigkeit\b|\bnationalit[äé]t?\b|\bnacionalidad\b"
    r"|\bnationaliteit\b|国籍"
)
WORK_STATUS_RE = _rx(
    r"\bsingapore(?:an)?\s+citizen\b|\bsingaporean\b|\bpermanent\s+resident\b|\bS?PR\s+(?:status|holder)\b|\bSPR\b"
    r"|\bemployment\s+pass\b|\bS\s+pass\b|\bwork\s+(?:pass|permit|visa)\b|\bdependant['’]?s?\s+pass\b"
    r"|\bnationality\b|\bcitizenship\b|\bright\s+to\s+work\b|\bvisa\b"
)
REFERENCES_ON_REQUEST_RE = _rx(
    r"\brefere(?:nces|es)\s+(?:are\s+)?(?:available\s+)?(?:up)?on\s+request\b|\brefere(?:nces|es)\s+available\b"
    r"|\br[ée]f[ée]rences?\s+(?:disponibles?\s+)?sur\s+demande\b|\breferenzen\s+(?:auf\s+anfrage|nach\s+absprache)\b"
    r"|\breferencias\s+(?:disponibles\s+)?(?:a|bajo|por|previa)\s+(?:petici[óo]n|solicitud)\b"
    r"|\breferenties\s+(?:op\s+aanvraag|beschikbaar)\b"
)
REFERENCES_HEADING_RE = _rx(r"^\W*(?:references|referees|r[ée]f[ée]rences|referenzen|referencias|referenties)\W*$")
CEFR_RE = re.compile(r"(?<![A-Za-z0-9])[ABC][12]\+?(?![A-Za-z0-9])")
NATIVE_RE = _rx(
    r"\b(?:native|mother\s+tongue|first\s+language|bilingual|muttersprache|muttersprachlich|erstsprache"
    r"|langue\s+maternelle|natif|native|bilingue|lengua\s+materna|nativ[oa]|moedertaal)\b|母語|母国語|ネイティブ"
)
CERTIFICATE_RE = _rx(
    r"\b(?:toeic|toefl|ielts|cambridge|cae|cpe|fce|delf|dalf|goethe|testdaf|dele|siele|jlpt|hsk|topik)\b"
)
LEVEL_WORD_RE = _rx(
    r"\b(?:fluent|fluency|proficient|proficiency|advanced|intermediate|basic|beginner|elementary|conversational"
    r"|business|working\s+knowledge|professional\s+working|courant|notions|scolaire|interm[ée]diaire|avanc[ée]"
    r"|d[ée]butant|flie(?:ß|ss)end|verhandlungssicher|gute?|sehr\s+gute?|grundkenntnisse|fortgeschritten|fluido"
    r"|avanzado|intermedio|b[áa]sico|nivel|vloeiend|goed|redelijk|basis)\b"
    r"|ビジネス|日常会話|流暢|上級|中級|初級"
)
JAPANESE_RE = _rx(r"\bjapanese\b|\bjaponais\b|\bjapanisch\b|\bjapon[ée]s\b|\bjapans\b|日本語")
JLPT_RE = _rx(r"\bjlpt\b|(?<![A-Za-z0-9])N[1-5](?![A-Za-z0-9])|日本語能力試験")
ERA_YEAR_RE = re.compile(r"(?:昭和|平成|令和)\s*(?:\d{1,2}|元)\s*年")
WESTERN_YEAR_RE = re.compile(r"(?:19|20)\d\d\s*年")
DECLARATION_RE = _rx(r"\bi\s+(?:do\s+)?hereby\s+declare\b|^\W*declaration\W*$")
LETTER_RE = re.compile(r"[^\W\d_]")
WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff66-\uff9f]")


# ---------------------------------------------------------------------------------------------------------------------
# Helpers over the text
# ---------------------------------------------------------------------------------------------------------------------
def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def _search(pattern: re.Pattern[str], line: str) -> re.Match[str] | None:
    """Patterns are written for NFKC text (full-width digits and brackets become ASCII); evidence keeps the line as
    written."""
    return pattern.search(unicodedata.normalize("NFKC", line))


def _evidence(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= MAX_EVIDENCE_CHARS else line[: MAX_EVIDENCE_CHARS - 1] + "…"


def _first_line(lines: tuple[tuple[str, str], ...], *patterns: re.Pattern[str]) -> str | None:
    """The first line (as written) that one of ``patterns`` finds in ``lines`` (``CVFacts.lines``)."""
    for line, normalized in lines:
        if any(pattern.search(normalized) for pattern in patterns):
            return line
    return None


def _sections(facts: CVFacts, kind: str) -> list[dict]:
    return [section for section in facts.parsed.get("sections") or [] if section.get("kind") == kind]


def _section_lines(facts: CVFacts, kind: str) -> list[str]:
    return [line for section in _sections(facts, kind) for line in _lines(section.get("text") or "") if line]


def _header_lines(facts: CVFacts) -> list[str]:
    if facts.parsed.get("sections"):
        return _section_lines(facts, "header")
    return [line for line in _lines(facts.text) if line][:HEADER_LINES]


def date_of_birth_line(facts: CVFacts, *, today: date) -> str | None:
    """The line that shows a date of birth or an age: a labelled one anywhere, or a bare full date in the name and
    contact lines whose year makes its holder at least 14 (an employment date is a month and year, not a day)."""
    line = _first_line(facts.lines, DOB_LABEL_RE, AGE_RE)
    if line is not None:
        return line
    for line in _header_lines(facts):
        for match in FULL_DATE_RE.finditer(unicodedata.normalize("NFKC", line)):
            year = int(next(value for key, value in match.groupdict().items() if key.startswith("y") and value))
            if 1930 <= year <= today.year - 14:
                return line
    return None


def length_estimate(facts: CVFacts) -> tuple[float, int, int]:
    """(pages, words, CJK characters); pages are the PDF's own count when known, else estimated from the text."""
    cjk_chars = len(CJK_RE.findall(facts.text))
    words = len(WORD_RE.findall(CJK_RE.sub(" ", facts.text)))
    if facts.pages is not None:
        return float(facts.pages), words, cjk_chars
    return words / WORDS_PER_PAGE + cjk_chars / CJK_CHARS_PER_PAGE, words, cjk_chars


def _language_lines(facts: CVFacts) -> list[str]:
    return [line for line in _section_lines(facts, "languages") if LETTER_RE.search(line)]


# ---------------------------------------------------------------------------------------------------------------------
# One function per check kind
# ---------------------------------------------------------------------------------------------------------------------
def _present(line: str | None) -> Outcome:
    return Outcome(FINDING, _evidence(line)) if line is not None else Outcome(OK)


def _dob_present(facts: CVFacts, params: dict, today: date) -> Outcome:
    return _present(date_of_birth_line(facts, today=today))


def _dob_missing(facts: CVFacts, params: dict, today: date) -> Outcome:
    line = date_of_birth_line(facts, today=today)
    return Outcome(OK, _evidence(line)) if line is not None else Outcome(FINDING)


def _marital_present(facts: CVFacts, params: dict, today: date) -> Outcome:
    return _present(_first_line(facts.lines, MARITAL_RE))


def _personal_details_present(facts: CVFacts, params: dict, today: date) -> Outcome:
    line = _first_line(facts.lines, DOB_LABEL_RE, AGE_RE, MARITAL_RE, PARENT_RE)
    if line is None:
        line = date_of_birth_line(facts, today=today)
    return _present(line)


def _nationality_present(facts: CVFacts, params: dict, today: date) -> Outcome:
    return _present(_first_line(facts.lines, NATIONALITY_RE))


def _work_status_missing(facts: CVFacts, params: dict, today: date) -> Outcome:
    line = _first_line(facts.lines, WORK_STATUS_RE)
    return Outcome(OK, _evidence(line)) if line is not None else Outcome(FINDING)


def _length_over(facts: CVFacts, params: dict, today: date) -> Outcome:
    max_pages = int(params["max_pages"])
    pages, words, cjk_chars = length_estimate(facts)
    if facts.pages is not None:
        detail = ngettext("Your CV has %(pages)d page.", "Your CV has %(pages)d pages.", facts.pages) % {
            "pages": facts.pages
        }
        over = facts.pages > max_pages
    else:
        shown_pages = max(1, math.floor(pages + 0.5))
        if cjk_chars > words:
            detail = ngettext(
                "Your CV has about %(chars)s characters, roughly %(pages)d page.",
                "Your CV has about %(chars)s characters, roughly %(pages)d pages.",
                shown_pages,
            ) % {"chars": number_format(cjk_chars, force_grouping=True), "pages": shown_pages}
        else:
            detail = ngettext(
                "Your CV has about %(words)s words, roughly %(pages)d page.",
                "Your CV has about %(words)s words, roughly %(pages)d pages.",
                shown_pages,
            ) % {"words": number_format(words, force_grouping=True), "pages": shown_pages}
        over = pages > max_pages + PAGE_SLACK
    return Outcome(FINDING if over else OK, detail=detail)


def _summary_missing(facts: CVFacts, params: dict, today: date) -> Outcome:
    if "sections" not in facts.parsed:
        return Outcome(ADVICE)
    summaries = _sections(facts, "summary")
    return Outcome(OK, _evidence(summaries[0].get("heading") or "")) if summaries else Outcome(FINDING)


def _references_on_request(facts: CVFacts, params: dict, today: date) -> Outcome:
    return _present(_first_line(facts.lines, REFERENCES_ON_REQUEST_RE))


def _references_missing(facts: CVFacts, params: dict, today: date) -> Outcome:
    line = _first_line(facts.lines, REFERENCES_ON_REQUEST_RE, REFERENCES_HEADING_RE)
    return Outcome(OK, _evidence(line)) if line is not None else Outcome(FINDING)


def _language_level_missing(facts: CVFacts, params: dict, today: date) -> Outcome:
    """Judged line by line in the languages section: a line passes when it shows any level, so "English (native),
    French" passes (conservative: only a line with no level at all is a finding)."""
    lines = _language_lines(facts)
    if not lines:
        return Outcome(ADVICE)
    level_patterns = [CEFR_RE, NATIVE_RE, CERTIFICATE_RE]
    if params.get("accept") == "any":
        level_patterns.append(LEVEL_WORD_RE)
    missing = [line for line in lines if not any(_search(pattern, line) for pattern in level_patterns)]
    if not missing:
        return Outcome(OK, _evidence(lines[0]))
    return Outcome(FINDING, _evidence(missing[0]))


def _jlpt_missing(facts: CVFacts, params: dict, today: date) -> Outcome:
    japanese = [line for line in _language_lines(facts) if _search(JAPANESE_RE, line)]
    if not japanese:
        return Outcome(ADVICE)
    line = japanese[0]
    if _search(JLPT_RE, line) or _search(NATIVE_RE, line):
        return Outcome(OK, _evidence(line))
    return Outcome(FINDING, _evidence(line))


def _calendars_mixed(facts: CVFacts, params: dict, today: date) -> Outcome:
    era_line = _first_line(facts.lines, ERA_YEAR_RE)
    western_line = _first_line(facts.lines, WESTERN_YEAR_RE)
    if era_line is None and western_line is None:
        return Outcome(ADVICE)
    if era_line is not None and western_line is not None:
        return Outcome(FINDING, _evidence(era_line))
    return Outcome(OK)


def _declaration_present(facts: CVFacts, params: dict, today: date) -> Outcome:
    return _present(_first_line(facts.lines, DECLARATION_RE))


CHECKS = {
    Check.DOB_PRESENT: _dob_present,
    Check.DOB_MISSING: _dob_missing,
    Check.MARITAL_PRESENT: _marital_present,
    Check.PERSONAL_DETAILS_PRESENT: _personal_details_present,
    Check.NATIONALITY_PRESENT: _nationality_present,
    Check.WORK_STATUS_MISSING: _work_status_missing,
    Check.LENGTH_OVER: _length_over,
    Check.SUMMARY_MISSING: _summary_missing,
    Check.REFERENCES_ON_REQUEST: _references_on_request,
    Check.REFERENCES_MISSING: _references_missing,
    Check.LANGUAGE_LEVEL_MISSING: _language_level_missing,
    Check.JLPT_MISSING: _jlpt_missing,
    Check.CALENDARS_MIXED: _calendars_mixed,
    Check.DECLARATION_PRESENT: _declaration_present,
}


def rule_check(*, check_kind: str, params: dict, facts: CVFacts | None, today: date) -> Outcome:
    """The outcome of one rule on one CV. Advice when the rule cannot be seen in text or there is no readable CV."""
    check = CHECKS.get(check_kind)
    if check is None or facts is None or not facts.text.strip():
        return Outcome(ADVICE)
    return check(facts, params, today)
