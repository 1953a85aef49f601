"""Career progression for a seeker: the "Where this can lead" panel of the CV page and /api/v1/progression/.

The roles, their reasons, job zones and the skills each adds are shown on every plan. The wage figures (the BLS
median change and the survey salaries) are salary information, so they need ``Feature.SALARY_RANGE`` (premium, or
an enterprise contract that includes it); without it the answer says so and carries no wage figure (the fields are
null). No new billing feature was added.

The logic is market.progression (pure) over market.progression_data (the cached reference data); this module turns
a CV version, or titles and skills given to the API, into its input, and its answer into plain values.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from billing.entitlements import PlanView, entitlement_check
from billing.gating import locked_section
from billing.models import Feature
from market.progression import JOB_ZONE_LABELS, CVTitle, NextRole, Progression, progression_build, skill_name_key
from market.progression_data import progression_reference
from tracking.cv_corrections import cv_parsed
from tracking.models import CVDocument

WAGE_FEATURE = Feature.SALARY_RANGE


def cv_titles(parsed: dict) -> list[CVTitle]:
    """The job titles of a parsed CV (tracking.cv.services.cv_parse), in the CV's order."""
    titles = []
    for title in (parsed or {}).get("titles") or []:
        written = str(title.get("title_as_written") or "").strip()
        if written:
            titles.append(
                CVTitle(
                    title_as_written=written,
                    occupation_code=str(title.get("occupation_code") or ""),
                    occupation_title=str(title.get("occupation_title") or ""),
                    taxonomy=str(title.get("taxonomy") or ""),
                )
            )
    return titles


def cv_skill_keys(parsed: dict) -> set[str]:
    """The CV's skills as next roles' skills are compared with them: the keys of its O*NET skills (market.Skill.key)
    and the spelling-free name key (market.progression.skill_name_key) of every skill, whatever its taxonomy, so that
    "SQL" on the CV is never a skill to add as "Structured query language SQL"."""
    keys: set[str] = set()
    for skill in (parsed or {}).get("skills") or []:
        if skill.get("taxonomy") == "onet" and skill.get("key"):
            keys.add(str(skill["key"]))
        for written in (skill.get("name"), skill.get("matched_text")):
            if written:
                keys.add(skill_name_key(str(written)))
    return keys


def progression_for_cv(*, user: User, cv: CVDocument | None, plan: PlanView | None = None) -> dict:
    """The progression of one CV version of ``user`` (the caller has checked that the version is theirs)."""
    if cv is None:
        return _answer(user=user, plan=plan, progression=None, message=_("Add your CV to see where it can lead."))
    parsed = cv_parsed(cv)
    progression = progression_build(
        titles=cv_titles(parsed), cv_skill_keys=cv_skill_keys(parsed), reference=progression_reference()
    )
    return {"cv_id": cv.pk, "cv_version": cv.version, **_answer(user=user, plan=plan, progression=progression)}


def progression_for_titles(*, user: User, titles: list[str], skills: list[str]) -> dict:
    """The progression from titles and skills given as text (most recent title first), read the way a CV is."""
    from tracking.cv import keywords

    index = keywords.keyword_index()
    cv_titles_found = []
    for written in titles:
        matches = keywords.titles_match(text=written, sections=[], index=index)
        match = matches[0] if matches else {}
        cv_titles_found.append(
            CVTitle(
                title_as_written=written,
                occupation_code=match.get("occupation_code", ""),
                occupation_title=match.get("occupation_title", ""),
                taxonomy=match.get("taxonomy", ""),
            )
        )
    found_skills = keywords.skills_match(", ".join(skills), index=index) if skills else []
    progression = progression_build(
        titles=cv_titles_found,
        cv_skill_keys=cv_skill_keys({"skills": found_skills}),
        reference=progression_reference(),
    )
    return _answer(user=user, plan=None, progression=progression)


def _answer(*, user: User, plan: PlanView | None, progression: Progression | None, message: str = "") -> dict:
    entitlement = entitlement_check(user=user, feature=WAGE_FEATURE, plan=plan)
    with_wages = entitlement.allowed
    answer = {
        "status": progression.status if progression else "no_cv",
        "message": progression.message if progression else message,
        "current": None,
        "history": [],
        "roles": [],
        "wages": {
            "available": with_wages,
            "source": _("BLS OEWS, May 2025: national median annual wage, all industries, in US dollars."),
            "survey_source": _(
                "The aijobs.net, devops-jobs.net and isecjobs.com salary surveys, 2020-2023, all countries, in US "
                "dollars, each distinct answer counted once."
            ),
            "locked": None if with_wages else locked_section(entitlement),
        },
    }
    if progression is None or progression.current is None:
        return answer
    current = progression.current
    answer["current"] = {
        "title_as_written": current.title_as_written,
        "occupation_code": current.occupation.code,
        "occupation_title": current.occupation.title,
        "job_zone": current.occupation.job_zone,
        "job_zone_label": _zone_label(current.occupation.job_zone),
        "how": current.how,
        "other_occupations_with_this_title": current.alternatives,
    }
    answer["history"] = [
        {
            "title_as_written": role.title_as_written,
            "occupation_code": role.occupation.code,
            "occupation_title": role.occupation.title,
        }
        for role in progression.history
    ]
    answer["roles"] = [_role(role, with_wages=with_wages) for role in progression.roles]
    if not any(role.survey for role in progression.roles):
        answer["wages"]["survey_source"] = ""
    _names_in_language(answer)
    return answer


def _names_in_language(answer: dict) -> None:
    """Occupation and skill names in the active language (ESCO's labels, "SQL" for O*NET's "Structured query
    language SQL"): two queries, whatever the number of roles."""
    from market.models import Skill, Taxonomy
    from tracking.cv.labels import label_columns, occupation_labels

    language = (translation.get_language() or "en").split("-")[0]
    entries = [answer["current"], *answer["history"], *answer["roles"]]
    codes = {(Taxonomy.ONET.value, entry["occupation_code"]) for entry in entries if entry and entry["occupation_code"]}
    labels = occupation_labels(codes, language)
    for entry in entries:
        if entry and entry["occupation_code"]:
            entry["occupation_title"] = (
                labels.get((Taxonomy.ONET.value, entry["occupation_code"])) or entry["occupation_title"]
            )
    skills = [skill for role in answer["roles"] for skill in role["skills_added"]]
    if skills:
        rows = Skill.objects.filter(taxonomy=Taxonomy.ONET, name__in={skill["name"] for skill in skills}).values_list(
            "name", *label_columns(language)
        )
        names = {name: label for name, *labels in rows if (label := next(filter(None, labels), ""))}
        for skill in skills:
            skill["name"] = names.get(skill["name"], skill["name"])


def _zone_label(zone: int | None) -> str:
    return str(JOB_ZONE_LABELS[zone]) if zone in JOB_ZONE_LABELS else ""


def _role(role: NextRole, *, with_wages: bool) -> dict:
    occupation = role.occupation
    wage = role.wage
    survey = role.survey
    return {
        "title": role.title,
        "occupation_code": occupation.code if occupation else None,
        "occupation_title": occupation.title if occupation else None,
        "job_zone": occupation.job_zone if occupation else None,
        "job_zone_label": _zone_label(occupation.job_zone if occupation else None),
        "job_zone_step": role.job_zone_step,
        "reasons": [{"rule": reason.rule, "text": reason.text} for reason in role.reasons],
        "also_titles": role.also_titles,
        "skills_added": [
            {"name": skill.name, "hot_technology": skill.hot, "in_demand": skill.in_demand}
            for skill in role.skills_added
        ],
        "skills_added_total": role.skills_added_total,
        "wage": (
            {
                "status": wage.status,
                "current_median_usd": wage.current_median_usd,
                "next_median_usd": wage.next_median_usd,
                "change_usd": wage.change_usd,
                "change_pct": round(wage.change_pct * 100, 1) if wage.change_pct is not None else None,
                "note": wage.note,
            }
            if with_wages
            else None
        ),
        "survey": (
            {
                "title": survey.title,
                "answers": survey.rows,
                "senior_share_pct": round(survey.senior_share * 100),
                "median_salary_usd": survey.median_salary_usd if with_wages else None,
                "current_title": survey.current_title,
                "current_answers": survey.current_rows,
                "current_senior_share_pct": round(survey.current_senior_share * 100),
                "current_median_salary_usd": survey.current_median_salary_usd if with_wages else None,
            }
            if survey
            else None
        ),
        "score": role.score,
    }
