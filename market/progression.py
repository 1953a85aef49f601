"""Career progression: from the job titles a CV holds, the roles it can lead to next, the O*NET technology skills each
adds and the change in the BLS national median wage. Pure functions over plain data (``ProgressionReference``,
loaded and cached by ``market.progression_data.progression_reference``).

The reference data holds no record of who moved from which job to which, and O*NET's "Related Occupations" file is
not available, so next roles come from rules the data supports, each named in the answer (market.progression_rules):

- ``specialisation``, ``broad_group``: another O*NET occupation of the same SOC occupation or broad group;
- ``minor_group``: an occupation of the same SOC minor group whose titles share the role's head noun;
- ``supervisor``: the first-line supervisors (xx-10xx) of the SOC major group, for groups 33-53;
- ``management``: a management occupation with an O*NET title made of the role's words and a management word
  ("Nurse Manager" of Medical and Health Services Managers);
- ``sector_manager``: the management occupations employed in the same industries (BLS employment by sector);
- ``survey``: a title of the aijobs.net, devops-jobs.net or isecjobs.com surveys made of the role's words and a rank
  word ("Head of Data"), answered more often at senior or executive level than the role's own title.

A next role must need at least the current role's preparation (O*NET job zone); a group move at the same zone that
does not pay more is not a step up and is dropped. A role found only through the sectors or the supervisors it shares
(no title or SOC group in common) is dropped when none of its skills that few occupations list is on the CV: a
data scientist is not sent to "Marketing Managers". The skills a role adds are never ones the CV holds under another
spelling ("SQL" for "Structured query language SQL") and are ones the current role's SOC major group uses: O*NET lists
Apache Hadoop for Medical and Health Services Managers, but it is not a nurse's next skill. The order is a heuristic
(``role_score``), not a probability.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from market.progression_rules import (
    RANK_WORDS,
    OccupationInfo,
    ProgressionReference,
    Reason,
    Role,
    SkillInfo,
    SurveyTitle,
    WageRow,
    exact_key,
    group_candidates,
    is_catch_all,
    management_title_candidates,
    role_words,
    sector_manager_candidates,
    singular_key,
    soc_prefixes,
    supervisor_candidates,
    survey_candidates,
    survey_own,
    title_key,
    unranked_text,
    word_set,
)

MAX_ROLES = 8
MAX_SKILLS_ADDED = 8
DISTINCTIVE_SKILL_SHARE = 0.10  # a skill listed by at most this share of O*NET occupations says what a job is
UNRELATED_RULES = frozenset({"sector_manager", "supervisor"})  # rules that name no title or SOC group in common
_SKILL_FILLER = frozenset({"softwar", "system", "the"})
BLS_TOP_CODE_ANNUAL_USD = 239_200  # BLS writes "#" for wages at or above this (data/reference/bls_oews_2025)
# Ranking weights (role_score).
ZONE_STEP_POINTS = 1.0  # per job-zone step, at most two
SIMILARITY_POINTS = 2.0
WAGE_POINTS = 2.0  # times the wage gain as a fraction, clipped to ±0.5
RULE_POINTS = {
    "survey": 1.0,
    "management": 0.75,
    "supervisor": 0.75,
    "sector_manager": 0.5,
    "specialisation": 0.5,
    "broad_group": 0.5,
    "minor_group": 0.0,
}
TITLE_RULES = frozenset({"management", "survey"})
# O*NET's names for its job zones (Job_Zone_Reference.txt).
JOB_ZONE_LABELS = {
    1: gettext_lazy("little or no preparation needed"),
    2: gettext_lazy("some preparation needed"),
    3: gettext_lazy("medium preparation needed"),
    4: gettext_lazy("considerable preparation needed"),
    5: gettext_lazy("extensive preparation needed"),
}

__all__ = [
    "JOB_ZONE_LABELS",
    "MAX_ROLES",
    "CVTitle",
    "NextRole",
    "OccupationInfo",
    "Progression",
    "ProgressionReference",
    "Reason",
    "ResolvedRole",
    "SkillInfo",
    "SurveyEvidence",
    "SurveyTitle",
    "WageChange",
    "WageRow",
    "progression_build",
    "role_resolve",
    "role_score",
    "similarity",
    "skill_name_key",
    "skills_added",
    "skills_in_common",
    "wage_change",
]


@dataclass(frozen=True)
class CVTitle:
    """A job title as a parsed CV holds it (tracking.cv.keywords.titles_match), or as an API caller gives it."""

    title_as_written: str
    occupation_code: str = ""
    occupation_title: str = ""
    taxonomy: str = ""


@dataclass(frozen=True)
class ResolvedRole(Role):
    how: str = "title"  # "title": an O*NET title; "most_likely": one of several (role_resolve); "parsed": the CV
    # parser's own (possibly fuzzy) match
    alternatives: int = 0  # other O*NET occupations with the same title


@dataclass(frozen=True)
class WageChange:
    status: str  # "ok", "lower_bound" (the next median is top-coded), "same_wage" (one BLS row), "unknown"
    current_median_usd: int | None
    next_median_usd: int | None
    change_usd: int | None
    change_pct: float | None  # a fraction: 0.25 is +25 %
    note: str = ""


@dataclass(frozen=True)
class SurveyEvidence:
    title: str
    rows: int
    senior_share: float
    median_salary_usd: int | None
    current_title: str
    current_rows: int
    current_senior_share: float
    current_median_salary_usd: int | None


@dataclass
class NextRole:
    title: str
    occupation: OccupationInfo | None
    reasons: list[Reason]
    job_zone_step: int | None
    similarity: float
    skills_added: list[SkillInfo]
    skills_added_total: int
    wage: WageChange
    survey: SurveyEvidence | None = None
    also_titles: list[str] = field(default_factory=list)
    score: float = 0.0


@dataclass
class Progression:
    status: str  # "ok" or "not_enough_data"
    message: str
    current: ResolvedRole | None = None
    history: list[ResolvedRole] = field(default_factory=list)
    roles: list[NextRole] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------------
# A CV's titles as O*NET occupations
# ---------------------------------------------------------------------------------------------------------------------


def _lookup_keys(title: CVTitle) -> list[tuple[str, str]]:
    written, unranked = title.title_as_written, unranked_text(title.title_as_written)
    keys = [("exact", exact_key(written)), ("exact", unranked), ("singular", singular_key(written))]
    keys.append(("singular", singular_key(unranked)))
    if title.taxonomy == "esco" and title.occupation_title:
        keys += [("exact", exact_key(title.occupation_title)), ("singular", singular_key(title.occupation_title))]
    return list(dict.fromkeys((kind, key) for kind, key in keys if key))


def role_resolve(
    title: CVTitle, reference: ProgressionReference, *, cv_skill_keys: frozenset[str] | set[str] = frozenset()
) -> ResolvedRole | None:
    """The O*NET occupation a CV title stands for, or None.

    The title is looked up among every O*NET title: as written, then without seniority words ("Senior"), then with
    plurals ignored ("Registered Nurses"), then through an ESCO match's label. When several occupations carry it
    ("Data Analyst" is a title of eight), the CV parser's own choice among them is kept when it is one of them (so the
    CV page reads the title one way), else the one listing most of the CV's skills, and between equals the one
    employing the most people in the US (BLS OEWS), where most people with the title work. Failing all that, the CV
    parser's own O*NET match (which may be fuzzy) is used.
    """
    for kind, key in _lookup_keys(title):
        index = reference.codes_by_title if kind == "exact" else reference.codes_by_singular_title
        codes = [code for code in index.get(key, ()) if code in reference.occupations]
        if not codes:
            continue
        occupations = [reference.occupations[code] for code in dict.fromkeys(codes)]
        specific = [occupation for occupation in occupations if not is_catch_all(occupation)] or occupations
        if len(specific) == 1:
            return ResolvedRole(title.title_as_written, specific[0], "title", len(occupations) - 1)
        parsed = next((o for o in specific if title.taxonomy == "onet" and o.code == title.occupation_code), None)
        if parsed is not None:  # the CV page names the parser's occupation: keep the two readings the same
            return ResolvedRole(title.title_as_written, parsed, "most_likely", len(occupations) - 1)
        best = min(
            specific,
            key=lambda occupation: (
                -_skills_listed(occupation.code, cv_skill_keys, reference),
                -_employment(occupation.soc_code, reference),
                occupation.code,
            ),
        )
        return ResolvedRole(title.title_as_written, best, "most_likely", len(occupations) - 1)
    if title.taxonomy == "onet" and title.occupation_code in reference.occupations:
        return ResolvedRole(title.title_as_written, reference.occupations[title.occupation_code], "parsed")
    return None


def _skills_listed(code: str, cv_skill_keys: frozenset[str] | set[str], reference: ProgressionReference) -> int:
    if not cv_skill_keys:
        return 0
    return sum(1 for skill in reference.skills.get(code, ()) if skill.key in cv_skill_keys)


def _employment(soc_code: str, reference: ProgressionReference) -> int:
    """BLS employment of the SOC occupation; 0 for a residual "All Other" one, whose count is not this job's."""
    row = reference.wages.get(soc_code)
    if row is None or row.title.endswith("All Other"):
        return 0
    return row.employment or 0


# ---------------------------------------------------------------------------------------------------------------------
# Wages and skills
# ---------------------------------------------------------------------------------------------------------------------


def wage_row(soc_code: str, reference: ProgressionReference) -> WageRow | None:
    """The national all-industry BLS row of the occupation, else of its broad group (BLS publishes some occupations
    only together, e.g. 13-1020 "Buyers and Purchasing Agents")."""
    return reference.wages.get(soc_code) or reference.wages.get(soc_prefixes(soc_code)[2] + "0")


def _usd(amount: int) -> str:
    return number_format(amount, decimal_pos=0, force_grouping=True)


def wage_change(current: OccupationInfo, target: OccupationInfo, reference: ProgressionReference) -> WageChange:
    """The next role's BLS national median annual wage (all industries, May 2025) minus the current role's."""
    current_row, next_row = wage_row(current.soc_code, reference), wage_row(target.soc_code, reference)
    for row, occupation in ((current_row, current), (next_row, target)):
        if row is None or (row.median_usd is None and not row.top_coded):
            note = _("BLS publishes no national median wage for %(title)s.") % {"title": occupation.title}
            return WageChange(
                "unknown", current_row and current_row.median_usd, next_row and next_row.median_usd, None, None, note
            )
    current_usd, next_usd = current_row.median_usd, next_row.median_usd
    if current_row.soc_code == next_row.soc_code:
        note = _("BLS publishes one wage for both (%(group)s); it does not separate these roles.") % {
            "group": next_row.title
        }
        return WageChange("same_wage", current_usd, next_usd, 0, 0.0, note)
    if current_usd is None:
        note = _(
            "BLS gives the median for %(title)s only as at least %(top)s USD a year, so no change can be given."
        ) % {
            "title": current.title,
            "top": _usd(BLS_TOP_CODE_ANNUAL_USD),
        }
        return WageChange("unknown", None, next_usd, None, None, note)
    if next_usd is None:
        change = BLS_TOP_CODE_ANNUAL_USD - current_usd
        note = _("BLS gives this median only as at least %(top)s USD a year: the change is at least this much.") % {
            "top": _usd(BLS_TOP_CODE_ANNUAL_USD)
        }
        return WageChange("lower_bound", current_usd, None, change, change / current_usd, note)
    notes = []
    for row, occupation in ((current_row, current), (next_row, target)):
        if row.soc_code != occupation.soc_code:
            notes.append(
                _("BLS publishes %(title)s only within %(group)s.") % {"title": occupation.title, "group": row.title}
            )
    change = next_usd - current_usd
    return WageChange("ok", current_usd, next_usd, change, change / current_usd, " ".join(notes))


def skill_name_key(name: str) -> str:
    """A skill's spelling-free key: its stemmed words without "software" ("Structured query language SQL" and
    "Structure query language SQL" are one skill), prefixed so it never equals a market.Skill.key."""
    return "name:" + " ".join(sorted(word_set(name) - _SKILL_FILLER))


def _held(skill: SkillInfo, cv_skill_keys: set[str] | frozenset[str]) -> bool:
    return skill.key in cv_skill_keys or skill_name_key(skill.name) in cv_skill_keys


_group_skills_cache: dict[tuple[int, str], frozenset[str]] = {}


def _group_skills(major_group: str, reference: ProgressionReference) -> frozenset[str]:
    """The keys of the skills any occupation of a SOC major group ("29") lists; cached per reference object."""
    cache_key = (id(reference), major_group)
    found = _group_skills_cache.get(cache_key)
    if found is None:
        found = frozenset(
            skill.key for code, skills in reference.skills.items() if code[:2] == major_group for skill in skills
        )
        if len(_group_skills_cache) > 64:
            _group_skills_cache.clear()
        _group_skills_cache[cache_key] = found
    return found


def skills_added(
    target_code: str, *, cv_skill_keys: set[str], current_code: str, reference: ProgressionReference
) -> tuple[list[SkillInfo], int]:
    """The next role's O*NET technology skills the CV does not hold (under any spelling) and that the current role's
    SOC major group uses, and how many there are: O*NET's hot technologies first, then in-demand ones, then those the
    current occupation does not list either; at most MAX_SKILLS_ADDED."""
    current_keys = {skill.key for skill in reference.skills.get(current_code, ())}
    near = _group_skills(current_code[:2], reference) | current_keys
    missing = [
        skill
        for skill in reference.skills.get(target_code, ())
        if not _held(skill, cv_skill_keys) and skill.key in near
    ]
    missing.sort(
        key=lambda skill: (not skill.hot, not skill.in_demand, skill.key in current_keys, skill.name.casefold())
    )
    return missing[:MAX_SKILLS_ADDED], len(missing)


_listing_counts_cache: dict[int, tuple[int, dict[str, int]]] = {}


def _listing_counts(reference: ProgressionReference) -> tuple[int, dict[str, int]]:
    """(occupations, how many list each skill key), cached per reference object."""
    found = _listing_counts_cache.get(id(reference))
    if found is None:
        counts: dict[str, int] = {}
        for skills in reference.skills.values():
            for skill in skills:
                counts[skill.key] = counts.get(skill.key, 0) + 1
        found = (len(reference.skills), counts)
        _listing_counts_cache.clear()
        _listing_counts_cache[id(reference)] = found
    return found


def skills_in_common(target_code: str, *, cv_skill_keys: set[str], reference: ProgressionReference) -> list[SkillInfo]:
    """The next role's skills on the CV that at most DISTINCTIVE_SKILL_SHARE of occupations list (Python and Excel,
    listed by hundreds, say nothing about which job is next)."""
    total, counts = _listing_counts(reference)
    limit = max(1, int(total * DISTINCTIVE_SKILL_SHARE))
    return [
        skill
        for skill in reference.skills.get(target_code, ())
        if _held(skill, cv_skill_keys) and counts.get(skill.key, 0) <= limit
    ]


# ---------------------------------------------------------------------------------------------------------------------
# Ranking
# ---------------------------------------------------------------------------------------------------------------------


def similarity(titles: Iterable[str], words_of_role: frozenset[str]) -> float:
    """The largest share of a title's words (ranks aside) that are the role's own: 1.0 for "Nurse Manager" after
    "Registered Nurse", 0.5 for "Nurse Practitioners"."""
    best = 0.0
    for title in titles:
        words = word_set(title) - RANK_WORDS
        if words:
            best = max(best, len(words & words_of_role) / len(words))
    return best


def role_score(*, zone_step: int | None, similarity_share: float, wage: WageChange, rules: set[str]) -> float:
    """The ranking heuristic: job-zone steps up (at most two), the share of the next title naming the current work,
    the wage gain (clipped to ±50 %) and the strongest rule's evidence (RULE_POINTS)."""
    score = ZONE_STEP_POINTS * min(max(zone_step or 0, 0), 2) + SIMILARITY_POINTS * similarity_share
    if wage.change_pct is not None:
        score += WAGE_POINTS * min(max(wage.change_pct, -0.5), 0.5)
    return score + max((RULE_POINTS[rule] for rule in rules), default=0.0)


# ---------------------------------------------------------------------------------------------------------------------
# The answer
# ---------------------------------------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    occupation: OccupationInfo | None
    title: str
    reasons: list[Reason] = field(default_factory=list)
    matched_titles: list[str] = field(default_factory=list)
    survey: SurveyTitle | None = None


def progression_build(
    *, titles: list[CVTitle], cv_skill_keys: set[str], reference: ProgressionReference, limit: int = MAX_ROLES
) -> Progression:
    """The next roles after the CV's current title: its first title that maps to an O*NET occupation (a CV's
    headline and latest entry come first). Occupations the CV already holds are left out. ``not_enough_data`` when
    no title maps to one."""
    if not titles:
        return Progression("not_enough_data", _("Not enough data: we found no job titles to start from."))
    resolved_titles = (role_resolve(title, reference, cv_skill_keys=cv_skill_keys) for title in titles)
    history = [resolved for resolved in resolved_titles if resolved]
    if not history:
        return Progression(
            "not_enough_data", _("Not enough data: none of these job titles maps to an occupation in O*NET.")
        )
    current = history[0]
    candidates: dict[str, _Candidate] = {}

    def add(occupation: OccupationInfo | None, title: str, reason: Reason, matched: Iterable[str] = ()) -> _Candidate:
        key = occupation.code if occupation is not None else "title:" + title_key(title)
        candidate = candidates.setdefault(key, _Candidate(occupation, title))
        matched = list(matched)
        if matched and occupation is not None and candidate.title == occupation.title:
            candidate.title = matched[0]  # a named title ("Nurse Manager") says more than the occupation's
        candidate.reasons.append(reason)
        candidate.matched_titles.extend(matched)
        return candidate

    for occupation, reason in group_candidates(current, reference):
        add(occupation, occupation.title, reason)
    for occupation, reason in supervisor_candidates(current, reference):
        add(occupation, occupation.title, reason)
    named = management_title_candidates(current, reference)
    for occupation, reason, matched in named:
        add(occupation, matched[0], reason, matched)
    for occupation, reason in sector_manager_candidates(current, reference, named=[found[0] for found in named]):
        add(occupation, occupation.title, reason)
    written = {title_key(title.title_as_written) for title in titles}
    for answers, reason in survey_candidates(current, reference):
        if title_key(answers.title) in written:
            continue
        resolved = role_resolve(CVTitle(answers.title), reference)
        candidate = add(resolved.occupation if resolved else None, answers.title, reason, [answers.title])
        if candidate.survey is None or answers.rows > candidate.survey.rows:
            candidate.survey = answers

    held = {role.occupation.code for role in history}
    own_answers = survey_own(current, reference)
    words_of_role = role_words(current)
    roles = [
        role
        for role in (
            _next_role(candidate, current, held, words_of_role, cv_skill_keys, own_answers, reference)
            for candidate in candidates.values()
        )
        if role is not None
    ]
    roles.sort(key=lambda role: (-role.score, role.title))
    message = (
        "" if roles else _("We found no step up from %(title)s in the data.") % {"title": current.occupation.title}
    )
    return Progression("ok", message, current=current, history=history, roles=roles[:limit])


def _next_role(
    candidate: _Candidate,
    current: ResolvedRole,
    held: set[str],
    words_of_role: frozenset[str],
    cv_skill_keys: set[str],
    own_answers: SurveyTitle | None,
    reference: ProgressionReference,
) -> NextRole | None:
    occupation = candidate.occupation
    rules = {reason.rule for reason in candidate.reasons}
    # A surveyed "Lead Data Analyst" is the same O*NET occupation as "Data Analyst" and still a step.
    if (
        occupation is not None
        and occupation.code in held
        and not ("survey" in rules and occupation == current.occupation)
    ):
        return None
    zone_step = None
    if occupation is not None and current.occupation.job_zone is not None and occupation.job_zone is not None:
        zone_step = occupation.job_zone - current.occupation.job_zone
        if zone_step < 0:
            return None
    if occupation is not None:
        wage = wage_change(current.occupation, occupation, reference)
        added, added_total = skills_added(
            occupation.code, cv_skill_keys=cv_skill_keys, current_code=current.occupation.code, reference=reference
        )
    else:
        wage = WageChange("unknown", None, None, None, None, _("No O*NET occupation carries this title."))
        added, added_total = [], 0
    if not rules & TITLE_RULES and zone_step == 0 and (wage.change_usd is None or wage.change_usd <= 0):
        return None  # needs no more preparation and does not pay more: not a step up
    if occupation is not None and rules <= UNRELATED_RULES and cv_skill_keys:
        if not skills_in_common(occupation.code, cv_skill_keys=cv_skill_keys, reference=reference):
            return None  # found through shared sectors only, and nothing the CV does is what it does
    titles = [candidate.title, *candidate.matched_titles]
    if not candidate.matched_titles and occupation is not None:
        titles.extend(reference.common_titles.get(occupation.code, ()))
    share = similarity(titles, words_of_role)
    evidence = None
    if candidate.survey is not None and own_answers is not None:
        answers = candidate.survey
        evidence = SurveyEvidence(
            answers.title,
            answers.rows,
            answers.senior_share,
            answers.median_salary_usd,
            own_answers.title,
            own_answers.rows,
            own_answers.senior_share,
            own_answers.median_salary_usd,
        )
    return NextRole(
        title=candidate.title,
        occupation=occupation,
        reasons=candidate.reasons,
        job_zone_step=zone_step,
        similarity=round(share, 3),
        skills_added=added,
        skills_added_total=added_total,
        wage=wage,
        survey=evidence,
        also_titles=[title for title in dict.fromkeys(candidate.matched_titles) if title != candidate.title][:3],
        score=round(role_score(zone_step=zone_step, similarity_share=share, wage=wage, rules=rules), 3),
    )
