"""The experience level a job title states ("Senior", "Werkstudent", "Directeur", "部長"), in the salary surveys' four
levels, and the level a number of years of experience suggests.

The levels are the surveys' (market.models.SalarySurveyRow.ExperienceLevel): EN entry/junior, MI mid, SE senior/expert,
EX executive/director. Where the surveys show titles with a rank word, the word's level here is the level most of
those rows report (deduplicated rows of the three survey files): "Head of ..." 85 % EX (78 rows), "Director" 81 % EX
(54), "Chief" 70 % EX (33), "Principal" 88 % SE (52), "Staff" 77 % SE (26), "Lead" 63 % SE (154), "Manager" 61 % SE
(471). tests/market/test_seniority.py checks this against the files. The other words state their level themselves
(intern, junior, senior...) or are the usual translations of these.

Rules, in order:
1. A word that names the occupation rather than a rank is not read: "Staff Nurse" and "Staff Accountant" are
   ordinary grades (staff is senior only before engineer, developer, scientist...), "School Principal" is the job,
   "Lead Generation", "Senior Care", "Junior High", "Funeral Director", "Art Director", "Chef de partie", "Account
   Executive" and Japanese "シニア歓迎" (older workers welcome) are not levels.
2. An assistant, associate, deputy or acting rank is one level below the rank ("Assistant Manager" MI, "Associate
   Director" SE, "Directeur adjoint" SE, "stellvertretende Leitung" SE, "マネージャー候補" MI).
3. Among the levels found, an executive word decides first ("Senior Director" is EX), then an entry word ("Junior
   Product Manager", "Trainee Manager" are EN), then senior, then mid; at the same level the first in the title.
4. The cleaned title (market.titles) is read first; only when it states no level are the parts cleaning removed
   read ("Data Scientist (Senior)", "Ingénieur DevOps - Confirmé", "【未経験歓迎】営業").

Not read: roman numerals and grade numbers ("Engineer II", "Level 3"): employers use them differently.

Pure: no ORM, no I/O; linear in the title's length.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from market.titles import title_parts

ENTRY, MID, SENIOR, EXECUTIVE = "EN", "MI", "SE", "EX"
LEVELS = (ENTRY, MID, SENIOR, EXECUTIVE)
# Which level decides when a title states several (rule 3).
_PRECEDENCE = {EXECUTIVE: 0, ENTRY: 1, SENIOR: 2, MID: 3}
_ONE_BELOW = {EXECUTIVE: SENIOR, SENIOR: MID, MID: ENTRY, ENTRY: ENTRY}

# Whole words (lower case, accents kept) and their level. Phrases are tuples of words.
_WORDS: dict[tuple[str, ...], str] = {}


def _add(level: str, *phrases: str) -> None:
    for phrase in phrases:
        _WORDS[tuple(phrase.split())] = level


_add(
    ENTRY,
    # en
    "intern",
    "interns",
    "internship",
    "trainee",
    "apprentice",
    "apprenticeship",
    "graduate",
    "junior",
    "jr",
    "entry level",
    "entry",
    "new grad",
    "working student",
    "student assistant",
    "student worker",
    # fr
    "stagiaire",
    "alternant",
    "alternante",
    "alternance",
    "apprenti",
    "apprentie",
    "apprentissage",
    "débutant",
    "débutante",
    "jeune diplômé",
    "jeune diplômée",
    # de
    "praktikant",
    "praktikantin",
    "praktikum",
    "pflichtpraktikum",
    "werkstudent",
    "werkstudentin",
    "werkstudierende",
    "werkstudierender",
    "auszubildende",
    "auszubildender",
    "azubi",
    "ausbildung",
    "berufseinsteiger",
    "berufseinsteigerin",
    "absolvent",
    "absolventin",
    "duales studium",
    # es
    "becario",
    "becaria",
    "prácticas",
    "practicas",
    "practicante",
    "pasante",
    "recién graduado",
    "recién graduada",
    "recién titulado",
    "recién titulada",
    "sin experiencia",
)
_add(MID, "mid", "mid level", "intermediate", "confirmé", "confirmée", "semi senior", "semisenior", "ssr")
_add(
    SENIOR,
    "senior",
    "sr",
    "sénior",
    "lead",
    "tech lead",
    "avp",
    "team lead",
    "principal",
    "staff",
    "manager",
    "expérimenté",
    "expérimentée",
    "responsable",
    "chef",
    "jefe",
    "jefa",
    "gerente",
    "teamleiter",
    "teamleiterin",
    "teamleitung",
    "head",
)
_add(
    EXECUTIVE,
    "head of",
    "director",
    "directora",
    "directeur",
    "directrice",
    "direktor",
    "direktorin",
    "geschäftsführer",
    "geschäftsführerin",
    "geschäftsführung",
    "vorstand",
    "leiter",
    "leiterin",
    "leitung",
    "abteilungsleiter",
    "abteilungsleiterin",
    "abteilungsleitung",
    "bereichsleiter",
    "bereichsleiterin",
    "bereichsleitung",
    "chief",
    "vp",
    "svp",
    "evp",
    "vice president",
    "vice-president",
    "vice-président",
    "vicepresidente",
    "president",
    "président",
    "présidente",
    "presidente",
    "pdg",
    "dg",
    "founder",
    "co-founder",
    "cofounder",
    "ceo",
    "cto",
    "cfo",
    "coo",
    "cio",
    "ciso",
    "cdo",
    "cmo",
    "cpo",
    "cro",
    "chro",
    "c-level",
)
# German compounds ending in a rank word: "Projektleiter", "Gruppenleitung", "Schichtleiterin" are team ranks (SE);
# the department and division heads above are EX.
_GERMAN_RANK_ENDINGS = ("leiter", "leiterin", "leitung")
# German compounds ending in an entry word: "Marketingpraktikant", "Vertriebswerkstudent".
_GERMAN_ENTRY_ENDINGS = ("praktikant", "praktikantin", "praktikum", "werkstudent", "werkstudentin")
# Japanese has no spaces: these are found inside words, longest first.
_JAPANESE: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            "インターンシップ": ENTRY,
            "インターン": ENTRY,
            "第二新卒": ENTRY,
            "新卒": ENTRY,
            "未経験": ENTRY,
            "ジュニア": ENTRY,
            "見習い": ENTRY,
            "中堅": MID,
            "シニア": SENIOR,
            "テックリード": SENIOR,
            "リード": SENIOR,
            "リーダー": SENIOR,
            "主任": SENIOR,
            "係長": SENIOR,
            "課長": SENIOR,
            "次長": SENIOR,
            "マネージャー": SENIOR,
            "マネジャー": SENIOR,
            "部長": EXECUTIVE,
            "本部長": EXECUTIVE,
            "事業部長": EXECUTIVE,
            "責任者": EXECUTIVE,
            "取締役": EXECUTIVE,
            "執行役員": EXECUTIVE,
            "役員": EXECUTIVE,
            "社長": EXECUTIVE,
        }.items(),
        key=lambda item: -len(item[0]),
    )
)
# Japanese words after which a level word means something else: シニア歓迎 (older workers welcome), シニア向け (for
# older people), リードジェネレーション (lead generation).
_JAPANESE_NOT_AFTER: dict[str, tuple[str, ...]] = {
    "シニア": ("歓迎", "向け", "世代", "層", "活躍"),
    "リード": ("ジェネ", "獲得"),
}
_JAPANESE_LOWER_AFTER = ("候補", "代理", "補佐")  # "マネージャー候補", "課長代理", "部長補佐": one level below

# Rule 2: a rank right after one of these is one level below ("Assistant Manager", "Sous-directeur").
_DEPUTY_BEFORE = frozenset(
    "assistant associate deputy acting interim vice sous sub stellvertretende stellvertretender stellv adjunto".split()
)
_DEPUTY_AFTER = frozenset("adjoint adjointe adjunto adjunta".split())
_RANK_WORDS = frozenset(
    {"manager", "director", "directora", "directeur", "directrice", "direktor", "direktorin", "head", "chef", "jefe"}
    | {"jefa", "gerente", "leiter", "leiterin", "leitung", "responsable", "principal", "geschäftsführer", "president"}
)
_SUBDIRECTOR = frozenset({"subdirector", "subdirectora", "sous-directeur", "sous-directrice", "vizedirektor"})

# Rule 1: words that name an occupation with a rank word in it.
_STAFF_SENIOR_BEFORE = frozenset(
    "engineer engineers developer scientist architect designer programmer researcher sre software data ml machine "
    "security site backend frontend full-stack fullstack platform infrastructure product applied research".split()
)
_NOT_A_LEVEL_AFTER: dict[str, frozenset[str]] = {
    "lead": frozenset({"generation", "gen", "generator", "paint", "abatement"}),
    "senior": frozenset({"care", "living", "citizen", "citizens", "center", "centre", "services", "high", "school"}),
    "junior": frozenset({"high", "school", "college"}),
    "graduate": frozenset({"recruiter", "recruitment", "admissions", "school"}),
    "head": frozenset({"office", "start", "hunter", "hunting"}),
}
_NOT_A_LEVEL_BEFORE: dict[str, frozenset[str]] = {
    "director": frozenset({"funeral", "art", "casting", "music", "musical", "choir", "activities", "activity"}),
    "principal": frozenset({"school", "assistant", "vice", "elementary", "high", "middle"}),
}
_KITCHEN_AFTER_CHEF_DE = frozenset({"partie", "rang", "cuisine"})
_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(frozen=True)
class Seniority:
    level: str  # EN, MI, SE or EX
    word: str  # the words as written in the title: "Senior", "Head of", "Assistant Manager", "部長"


@dataclass(frozen=True)
class _Hit:
    level: str
    start: int
    end: int  # character span in the text read


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN_RE.finditer(text))


def _latin_hits(text: str) -> list[_Hit]:
    matches = _tokens(text)
    words = [match.group(0).casefold().replace("’", "'") for match in matches]
    hits: list[_Hit] = []
    index = 0
    while index < len(words):
        found = None
        for length in (3, 2, 1):
            phrase = tuple(words[index : index + length])
            if len(phrase) == length and phrase in _WORDS:
                found = (length, _WORDS[phrase])
                break
        if found is None:
            found = _compound(words[index])
        if found is None:
            index += 1
            continue
        length, level = found
        last = index + length - 1
        level = _in_context(words, index, last, level)
        if level is not None:
            start = index
            if index > 0 and words[index - 1] in _DEPUTY_BEFORE and words[last] in _RANK_WORDS:
                level, start = _ONE_BELOW[level], index - 1
            elif last + 1 < len(words) and words[last + 1] in _DEPUTY_AFTER:
                level, last = _ONE_BELOW[level], last + 1
            hits.append(_Hit(level, matches[start].start(), matches[last].end()))
        index = last + 1
    return hits


def _compound(word: str) -> tuple[int, str] | None:
    if word in _SUBDIRECTOR:
        return 1, SENIOR
    if word.startswith("stellvertretende") and word.endswith(_GERMAN_RANK_ENDINGS):
        return 1, SENIOR
    if word.endswith(_GERMAN_ENTRY_ENDINGS):
        return 1, ENTRY
    if word.endswith(_GERMAN_RANK_ENDINGS):
        head = word.startswith(("abteilungs", "bereichs", "geschäftsbereichs", "hauptabteilungs"))
        return 1, EXECUTIVE if head else SENIOR
    if word.startswith("mid-") or word.endswith("-level") and word.split("-")[0] in {"mid", "entry", "senior"}:
        return 1, {"mid": MID, "entry": ENTRY, "senior": SENIOR}[word.split("-")[0]]
    return None


def _in_context(words: list[str], first: int, last: int, level: str) -> str | None:
    """The level, or None where the words name an occupation rather than a rank (rule 1)."""
    word = words[first] if first == last else " ".join(words[first : last + 1])
    following = words[last + 1] if last + 1 < len(words) else ""
    previous = words[first - 1] if first > 0 else ""
    if following in _NOT_A_LEVEL_AFTER.get(word, ()) or previous in _NOT_A_LEVEL_BEFORE.get(word, ()):
        return None
    if word == "staff" and not set(words[last + 1 :]) & _STAFF_SENIOR_BEFORE:
        return None
    if word == "principal" and last == len(words) - 1:
        return None  # "School Principal", "Principal" alone: the job, not a grade
    if word == "chef" and (following != "de" and following != "d'" and not following.startswith("d'")):
        return None  # English "Chef", "Head Chef": a cook
    if word == "chef" and len(words) > last + 2 and words[last + 2] in _KITCHEN_AFTER_CHEF_DE:
        return None
    if word == "head" and following == "of":
        return EXECUTIVE
    if word in {"entry", "mid"} and following not in {"level", "-level"}:
        return None
    if word == "president" and previous == "vice":
        return EXECUTIVE
    return level


def _japanese_hits(text: str) -> list[_Hit]:
    hits: list[_Hit] = []
    taken = [False] * len(text)
    for word, level in _JAPANESE:
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            if not any(taken[start:end]):
                after = text[end : end + 6]
                if not after.startswith(_JAPANESE_NOT_AFTER.get(word, ())):
                    found_level = _ONE_BELOW[level] if after.startswith(_JAPANESE_LOWER_AFTER) else level
                    suffix = next((s for s in _JAPANESE_LOWER_AFTER if after.startswith(s)), "")
                    hits.append(_Hit(found_level, start, end + len(suffix)))
                for position in range(start, end):
                    taken[position] = True
            start = text.find(word, end)
    return hits


def _decide(text: str) -> Seniority | None:
    hits = _latin_hits(text) + _japanese_hits(text)
    if not hits:
        return None
    best = min(hits, key=lambda hit: (_PRECEDENCE[hit.level], hit.start))
    return Seniority(level=best.level, word=text[best.start : best.end])


def title_seniority(title: str) -> Seniority | None:
    """The level a job title states and the words that decided it, or None when it states none (see the module
    docstring for the rules): "Senior Data Engineer" -> SE "Senior"; "Head of Data" -> EX "Head of";
    "Werkstudent (m/w/d) Data Science" -> EN "Werkstudent"; "Data Scientist (Senior)" -> SE "Senior"."""
    parts = title_parts(title or "")
    for text in (parts.core, *parts.removed):
        found = _decide(unicodedata.normalize("NFKC", text))
        if found is not None:
            return found
    return None


# Years of experience -> level: under 2 entry, under 5 mid, otherwise senior. The surveys record no years; these are
# the bands job boards use for junior / mid / senior. Years never make an executive: EX is a role (director, VP,
# C-level) that the title or the seeker's own level states.
YEARS_MID_FROM = 2
YEARS_SENIOR_FROM = 5


def level_for_years(years: int | None) -> str | None:
    """EN under 2 years, MI under 5, SE from 5; None when the years are unknown (never EX: see above)."""
    if years is None:
        return None
    if years < YEARS_MID_FROM:
        return ENTRY
    return MID if years < YEARS_SENIOR_FROM else SENIOR
