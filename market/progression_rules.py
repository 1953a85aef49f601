"""The reference data career progression reads (plain values) and the rules that find next-role candidates in it.

Pure: no ORM here (``market.progression_data`` loads a ``ProgressionReference``; ``market.progression`` ranks what
these rules find). Every rule returns the candidates with a ``Reason`` that says in words which rule found them.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.utils.translation import gettext as _

from market.text import title_normalize

SURVEY_MIN_ROWS = 10
SURVEY_MIN_SENIOR_GAIN = 0.05  # share of senior or executive answers above the role's own answers
MANAGEMENT_MIN_SHARE = 0.5  # more than this share of the matching titles the best management occupation holds
MANAGEMENT_MIN_SECTOR_COSINE = 0.2  # a management title's occupation must employ people where the role does
SECTOR_MANAGERS = 2
SECTOR_MIN_COSINE = 0.8
SECTOR_MIN_SHARE = 0.75
LEVELS = ("EN", "MI", "SE", "EX")

STOP_WORDS = frozenset("of and the for in at & to a an".split())
SENIORITY_WORDS = frozenset("senior sr junior jr lead principal staff chief head intern trainee i ii iii iv".split())
# Words that make a title a step up (a rank) when added to the role's own words; compared after stemming.
RANK_WORDS = frozenset(
    "senior sr lead princip staff head chief manag director supervisor superintend foreman vp offic administr".split()
)
SUPERVISOR_MAJOR_GROUPS = frozenset(str(major) for major in range(33, 54, 2))
_PARENTHETICAL_RE = re.compile(r"\([^)]*\)")
_WORD_RE = re.compile(r"[^\W_][\w+#.\-]*[\w+#]|[^\W_]")  # "non-retail" and "c++" are one word
_HEAD_SPLIT_RE = re.compile(r",| and | & ")
_stemmer = snowballstemmer.stemmer("english")
_stem_lock = threading.Lock()


# ---------------------------------------------------------------------------------------------------------------------
# Plain data
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OccupationInfo:
    code: str  # O*NET-SOC code, 15-1252.00
    title: str
    soc_code: str  # 15-1252
    job_zone: int | None


@dataclass(frozen=True)
class SkillInfo:
    key: str  # market.Skill.key (title_normalize of the O*NET name), as in a parsed CV's skills
    name: str
    hot: bool
    in_demand: bool


@dataclass(frozen=True)
class WageRow:
    soc_code: str
    title: str
    median_usd: int | None
    top_coded: bool
    employment: int | None
    level: int = 3  # BLS occ_level: 0 major group, 1 minor, 2 broad, 3 detailed


@dataclass(frozen=True)
class SurveyTitle:
    title: str
    level_counts: tuple[int, int, int, int]  # distinct answers at EN, MI, SE, EX
    median_salary_usd: int | None

    @property
    def rows(self) -> int:
        return sum(self.level_counts)

    @property
    def senior_share(self) -> float:
        return (self.level_counts[2] + self.level_counts[3]) / self.rows if self.rows else 0.0


@dataclass
class ProgressionReference:
    occupations: dict[str, OccupationInfo] = field(default_factory=dict)
    # exact_key(title) -> the O*NET codes with that title (any source)
    codes_by_title: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # singular_key(title) -> the same, plurals aside ("Registered Nurses" for "registered nurse")
    codes_by_singular_title: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # O*NET code -> its preferred and reported titles (what the people doing the job call it)
    common_titles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # O*NET code -> every title, for management and first-line supervisor occupations only
    management_titles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    skills: dict[str, tuple[SkillInfo, ...]] = field(default_factory=dict)
    wages: dict[str, WageRow] = field(default_factory=dict)  # SOC code (detailed or group) -> national wage
    sector_mix: dict[str, dict[str, float]] = field(default_factory=dict)  # SOC code -> BLS sector -> employment
    survey: dict[str, SurveyTitle] = field(default_factory=dict)  # title_key(survey title) -> answers


@dataclass(frozen=True)
class Reason:
    rule: str
    text: str


@dataclass(frozen=True)
class Role:
    """What the rules start from: the CV's title and the O*NET occupation it stands for."""

    title_as_written: str
    occupation: OccupationInfo


# ---------------------------------------------------------------------------------------------------------------------
# Words and groups
# ---------------------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    if not word.isalpha():
        return word
    with _stem_lock:  # snowballstemmer objects are not thread-safe
        return _stemmer.stemWord(word)


def title_words(title: str) -> list[str]:
    """Stemmed content words of a title, in order, without parentheticals or stop words ("Director of Nursing" ->
    ["director", "nurs"])."""
    text = _PARENTHETICAL_RE.sub(" ", title_normalize(title))
    return [_stem(word) for word in _WORD_RE.findall(text) if word not in STOP_WORDS]


@lru_cache(maxsize=200_000)
def word_set(title: str) -> frozenset[str]:
    """title_words as a set, cached: the rules compare the same few thousand O*NET titles on every request."""
    return frozenset(title_words(title))


def exact_key(title: str) -> str:
    """The normalized title without parentheticals: "Registered Nurse (RN)" -> "registered nurse"."""
    return " ".join(_PARENTHETICAL_RE.sub(" ", title_normalize(title)).split())


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def singular_key(title: str) -> str:
    """exact_key with each word made singular ("Registered Nurses" -> "registered nurse"): O*NET's preferred titles
    are plural, a CV's singular. Cheaper and narrower than stemming, which would also join "Securities Analyst" and
    "Security Analyst"."""
    return " ".join(_singular(word) for word in exact_key(title).split())


def unranked_text(title: str) -> str:
    """The normalized title without seniority words: "Senior Data Analyst" -> "data analyst". Management words stay
    ("Data Manager" is another job than "Data ...")."""
    words = exact_key(title).split()
    kept = [word for word in words if word.strip(".,") not in SENIORITY_WORDS]
    return " ".join(kept or words)


def title_index_build(rows: Iterable[tuple[str, str]]) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Pure: (O*NET code, title) rows -> the codes by exact_key and by singular_key of their titles."""
    exact: dict[str, list[str]] = {}
    singular: dict[str, list[str]] = {}
    for code, title in rows:
        for index, key in ((exact, exact_key(title)), (singular, singular_key(title))):
            if key:
                codes = index.setdefault(key, [])
                if code not in codes:
                    codes.append(code)
    return {key: tuple(codes) for key, codes in exact.items()}, {key: tuple(codes) for key, codes in singular.items()}


def title_key(title: str) -> str:
    """The key survey titles are grouped and looked up by: their stemmed words ("Data Analysts" = "data analyst")."""
    return " ".join(title_words(title))


def head_word(title: str) -> str:
    """The stemmed last word of a title's first part: "Elementary School Teachers, Except ..." -> "teacher"."""
    first = _HEAD_SPLIT_RE.split(_PARENTHETICAL_RE.sub(" ", title))[0]
    words = [word for word in title_words(first) if word not in RANK_WORDS]  # "Head Cook" -> "cook"
    return words[-1] if words else ""


def soc_prefixes(soc_code: str) -> tuple[str, str, str]:
    """The (major, minor, broad) SOC group of an occupation as code prefixes: 15-1252 -> ("15", "15-1", "15-125")."""
    return soc_code[:2], soc_code[:4], soc_code[:6]


def group_label(prefix: str, reference: ProgressionReference) -> str:
    """ "15-1200 Computer Occupations" for the prefix "15-1" (BLS's group rows), else the bare group code."""
    level = {2: 0, 4: 1, 6: 2}[len(prefix)]
    for row in reference.wages.values():
        if row.level == level and row.soc_code.startswith(prefix):
            return f"{row.soc_code} {row.title}"
    return f"{prefix}-0000" if len(prefix) == 2 else prefix.ljust(7, "0")


def is_catch_all(occupation: OccupationInfo) -> bool:
    """O*NET's "..., All Other" residual occupations and the military (55-): no job zone, no BLS wage."""
    return occupation.title.endswith("All Other") or occupation.soc_code.startswith("55-")


def is_supervisor(occupation: OccupationInfo) -> bool:
    return occupation.soc_code[:2] in SUPERVISOR_MAJOR_GROUPS and occupation.soc_code[3:5] == "10"


def is_management(occupation: OccupationInfo) -> bool:
    return occupation.soc_code.startswith("11-") or is_supervisor(occupation)


def role_words(role: Role) -> frozenset[str]:
    """The words of what the person does: their title as written and their occupation's title, ranks aside."""
    return (word_set(unranked_text(role.title_as_written)) | word_set(role.occupation.title)) - RANK_WORDS


def role_heads(role: Role) -> frozenset[str]:
    """The head nouns of the role ("nurs" for "Registered Nurse"), from the title as written and the occupation's."""
    heads = (head_word(unranked_text(role.title_as_written)), head_word(role.occupation.title))
    return frozenset(head for head in heads if head)


def _sector_cosine(left_soc: str, right_soc: str, reference: ProgressionReference) -> float | None:
    left, right = reference.sector_mix.get(left_soc), reference.sector_mix.get(right_soc)
    if not left or not right:
        return None
    dot = sum(value * right.get(sector, 0.0) for sector, value in left.items())
    norms = math.sqrt(sum(v * v for v in left.values())) * math.sqrt(sum(v * v for v in right.values()))
    return dot / norms if norms else 0.0


# ---------------------------------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------------------------------


def group_candidates(role: Role, reference: ProgressionReference) -> Iterator[tuple[OccupationInfo, Reason]]:
    """Specialisations of the same SOC occupation, the rest of its broad group, and the occupations of its minor
    group whose preferred or reported titles share the role's head noun ("Nurse Practitioners", not "Dentists")."""
    current = role.occupation
    _major, minor, broad = soc_prefixes(current.soc_code)
    heads = role_heads(role)
    for occupation in reference.occupations.values():
        if occupation.code == current.code or is_catch_all(occupation):
            continue
        if occupation.soc_code == current.soc_code:
            text = _("An O*NET specialisation of the same occupation (SOC %(soc)s).") % {"soc": current.soc_code}
            yield occupation, Reason("specialisation", text)
        elif occupation.soc_code.startswith(broad):
            text = _("In the same SOC broad group: %(group)s.") % {"group": group_label(broad, reference)}
            yield occupation, Reason("broad_group", text)
        elif occupation.soc_code.startswith(minor) and _names_head(occupation, heads, reference):
            text = _("In the same SOC minor group (%(group)s), and its titles name what you do.") % {
                "group": group_label(minor, reference)
            }
            yield occupation, Reason("minor_group", text)


def _names_head(occupation: OccupationInfo, heads: frozenset[str], reference: ProgressionReference) -> bool:
    titles = reference.common_titles.get(occupation.code) or (occupation.title,)
    return any(heads & word_set(title) for title in titles)


def supervisor_candidates(role: Role, reference: ProgressionReference) -> list[tuple[OccupationInfo, Reason]]:
    """The first-line supervisors (xx-10xx) of the role's SOC major group; where there are several, those whose title
    shares most words with the occupation and its SOC groups ("... of Retail Sales Workers" for cashiers)."""
    current = role.occupation
    if is_management(current) or current.soc_code[:2] not in SUPERVISOR_MAJOR_GROUPS:
        return []
    supervisors = [
        occupation
        for occupation in reference.occupations.values()
        if is_supervisor(occupation)
        and occupation.soc_code[:2] == current.soc_code[:2]
        and not is_catch_all(occupation)
    ]
    if len(supervisors) > 1:
        _major, minor, broad = soc_prefixes(current.soc_code)
        family = (
            word_set(current.title) | word_set(group_label(minor, reference)) | word_set(group_label(broad, reference))
        )
        overlap = {occupation.code: len(word_set(occupation.title) & family) for occupation in supervisors}
        best = max(overlap.values())
        supervisors = [occupation for occupation in supervisors if overlap[occupation.code] == best]
    text = _("The first-line supervisors of this occupation family (SOC %(group)s).") % {
        "group": group_label(current.soc_code[:2], reference)
    }
    return [(occupation, Reason("supervisor", text)) for occupation in supervisors]


def management_title_candidates(
    role: Role, reference: ProgressionReference
) -> list[tuple[OccupationInfo, Reason, list[str]]]:
    """Management and supervisor occupations with O*NET titles made of the role's words, its head noun among them,
    and a management word ("Nurse Manager", "Software Development Director").

    Kept: the occupations whose titles name the most of the role's words, then of those the ones holding as many
    such titles as the best or more than half as many, and that employ people in the same industries at all (sector
    cosine at least MANAGEMENT_MIN_SECTOR_COSINE). One stray title ("Development Director" of fundraising managers,
    "Cooking Supervisor" of production supervisors) does not make a path, and the person's own title ("Project
    Manager") is no step.
    """
    words_of_role, heads = role_words(role), role_heads(role)
    own_title = singular_key(role.title_as_written)
    matches: dict[str, tuple[int, list[str]]] = {}
    for code, titles in reference.management_titles.items():
        occupation = reference.occupations.get(code)
        if occupation is None or code == role.occupation.code or is_catch_all(occupation):
            continue
        cosine = _sector_cosine(role.occupation.soc_code, occupation.soc_code, reference)
        if cosine is not None and cosine < MANAGEMENT_MIN_SECTOR_COSINE:
            continue
        for title in titles:
            words = word_set(title)
            rest = words - RANK_WORDS
            if (
                rest
                and words & RANK_WORDS
                and rest <= words_of_role
                and rest & heads
                and singular_key(title) != own_title
            ):
                named, found = matches.get(code, (0, []))
                matches[code] = (max(named, len(rest)), [*found, title])
    if not matches:
        return []
    most_named = max(named for named, _titles in matches.values())
    best_count = max(len(titles) for named, titles in matches.values() if named == most_named)
    found = []
    for code, (named, titles) in sorted(matches.items(), key=lambda item: (-len(item[1][1]), item[0])):
        if named < most_named or (len(titles) < best_count and len(titles) <= best_count * MANAGEMENT_MIN_SHARE):
            continue
        titles = sorted(titles, key=lambda title: (-len(word_set(title) & words_of_role), len(title), title))
        text = _("O*NET lists “%(title)s” among the titles of this management occupation.") % {"title": titles[0]}
        found.append((reference.occupations[code], Reason("management", text), titles))
    return found


def _skill_overlap(left_code: str, right_code: str, reference: ProgressionReference) -> float:
    """Jaccard overlap of two occupations' O*NET technology skills."""
    left = {skill.key for skill in reference.skills.get(left_code, ())}
    right = {skill.key for skill in reference.skills.get(right_code, ())}
    return len(left & right) / len(left | right) if left | right else 0.0


def sector_manager_candidates(
    role: Role, reference: ProgressionReference, *, named: list[OccupationInfo]
) -> list[tuple[OccupationInfo, Reason]]:
    """The management occupations (SOC 11-) that work where the role works and with the same tools: BLS OEWS
    employment by sector alike (cosine at least SECTOR_MIN_COSINE; the managers of teachers work where teachers
    work), ranked by that cosine times the overlap of their O*NET technology skills (21 sectors alone cannot tell
    the managers of nurses from those of childcare centres). The best SECTOR_MANAGERS with at least SECTOR_MIN_SHARE
    of the best one's rank are kept.

    Only when no management occupation's title names the role (``named``, from management_title_candidates, is the
    stronger evidence), and never for managers themselves (their own SOC groups hold the next step).
    """
    current = role.occupation
    if current.soc_code.startswith("11-") or any(occupation.soc_code.startswith("11-") for occupation in named):
        return []
    by_soc: dict[str, OccupationInfo] = {}
    for occupation in sorted(reference.occupations.values(), key=lambda occupation: occupation.code):
        if occupation.soc_code.startswith("11-") and not is_catch_all(occupation):
            by_soc.setdefault(occupation.soc_code, occupation)  # the SOC occupation itself (.00) when O*NET has it
    scored = []
    for soc, occupation in by_soc.items():
        cosine = _sector_cosine(current.soc_code, soc, reference)
        if cosine is not None and cosine >= SECTOR_MIN_COSINE:
            overlap = _skill_overlap(current.code, occupation.code, reference)
            scored.append((cosine * overlap, cosine, overlap, occupation))
    scored.sort(key=lambda item: (-item[0], item[3].code))
    found = []
    for rank, cosine, overlap, occupation in scored[:SECTOR_MANAGERS]:
        if rank <= 0 or rank < scored[0][0] * SECTOR_MIN_SHARE:
            break
        text = _(
            "Managers who work in the same industries as you (BLS employment by sector, %(sectors)s%% alike) and "
            "share %(skills)s%% of your occupation's O*NET technology skills."
        ) % {"sectors": round(cosine * 100), "skills": round(overlap * 100)}
        found.append((occupation, Reason("sector_manager", text)))
    return found


def survey_own(role: Role, reference: ProgressionReference) -> SurveyTitle | None:
    """The survey answers for the role's title as written (without seniority words first)."""
    return reference.survey.get(title_key(unranked_text(role.title_as_written))) or reference.survey.get(
        title_key(role.title_as_written)
    )


def survey_candidates(role: Role, reference: ProgressionReference) -> list[tuple[SurveyTitle, Reason]]:
    """Survey titles made of the words of the title as written plus a rank word ("Lead Data Analyst", "Head of
    Data"), answered by at least SURVEY_MIN_ROWS people, more of them (by SURVEY_MIN_SENIOR_GAIN) at senior or
    executive level than of those who answered with the role's own title: the progression the surveys show."""
    own = survey_own(role, reference)
    if own is None or own.rows < SURVEY_MIN_ROWS:
        return []
    written = word_set(unranked_text(role.title_as_written)) - RANK_WORDS
    found = []
    for answers in reference.survey.values():
        if answers is own or answers.rows < SURVEY_MIN_ROWS:
            continue
        if answers.senior_share < own.senior_share + SURVEY_MIN_SENIOR_GAIN:
            continue
        words = word_set(answers.title)
        rest = words - RANK_WORDS
        if not (rest and words & RANK_WORDS and rest <= written):
            continue
        text = _(
            "In the salary surveys, %(rows)s people reported “%(title)s”, %(senior)s%% of them at senior or "
            "executive level (%(own_senior)s%% of the %(own_rows)s who reported “%(own_title)s”)."
        ) % {
            "rows": answers.rows,
            "title": answers.title,
            "senior": round(answers.senior_share * 100),
            "own_senior": round(own.senior_share * 100),
            "own_rows": own.rows,
            "own_title": own.title,
        }
        found.append((answers, Reason("survey", text)))
    return found
