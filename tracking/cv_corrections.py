"""The seeker's corrections to what was read from a CV version, and the version's data with them applied.

A CV version is immutable (tracking.models.CVDocument); what the seeker corrects lives beside it in one
``CVCorrection`` row, so the corrections stay with the version they were made on. ``cv_parsed`` is the one way the
page, the match and the predictions read a version's skills, titles and years: the version's ``parsed`` data with
the correction on top. Documents judged as documents (tracking/cv/conventions.py) keep reading ``parsed`` itself.

Skills are identified by their ``key`` (as the reader wrote them in ``parsed["skills"]``). An added skill is stored
as the seeker wrote it and looked up in the keyword index when read, so it meets a requirement for that skill
exactly like a skill found in the text would.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from tenants.context import require_tenant_schema
from tracking.cv import keywords
from tracking.models import CVCorrection, CVDocument

MAX_ADDED_SKILLS = 50
# Entries given, before duplicates and skills already listed are collapsed: more is refused unread.
MAX_ADDED_ENTRIES = 4 * MAX_ADDED_SKILLS
MAX_SKILL_CHARS = 80
MAX_TITLE_CHARS = 120
MAX_YEARS = 60
ADDED_TAXONOMY = "added"  # the taxonomy of an added skill the keyword index does not know
_SKILL_SEPARATORS = re.compile(r"[,\n\r;]+")


def skills_added_split(text: str) -> list[str]:
    """The skills in a comma-, semicolon- or line-separated text, trimmed, empty ones dropped, in order."""
    return [part.strip() for part in _SKILL_SEPARATORS.split(text or "") if part.strip()]


def _same_skill(name: str) -> str:
    return " ".join(name.casefold().split())


def _index_skill(name: str, index: keywords.KeywordIndex) -> dict | None:
    """The keyword index's skill whose whole name (or synonym) is ``name``, whatever its case: the seeker named it
    on purpose, so the case rules that keep "Go" the verb from being a language do not apply."""
    alias = index.aliases.get(keywords.phrase_key(name))
    if alias is None:
        return None
    return {"name": alias.skill.name, "key": alias.skill.key, "taxonomy": alias.skill.taxonomy}


def _added_skill(name: str, index: keywords.KeywordIndex) -> dict:
    known = _index_skill(name, index)
    if known is None:
        known = {"name": name, "key": f"{ADDED_TAXONOMY}:{_same_skill(name)}", "taxonomy": ADDED_TAXONOMY}
    return {**known, "evidence": "", "matched_text": name, "added_by_you": True}


def _years_clean(years: int | str | None) -> int | None:
    if years is None or (isinstance(years, str) and not years.strip()):
        return None
    try:
        value = int(str(years).strip()) if not isinstance(years, int) else years
    except ValueError:
        raise ValidationError(
            {"years_experience": _("Enter the years as a whole number, e.g. 6.")}, code="invalid"
        ) from None
    if not 0 <= value <= MAX_YEARS:
        raise ValidationError(
            {"years_experience": _("Enter between 0 and %(max)s years.") % {"max": MAX_YEARS}}, code="out_of_range"
        )
    return value


def _too_many(count: int) -> str:
    return _("Add at most %(max)s skills at once; you gave %(count)s.") % {"max": MAX_ADDED_SKILLS, "count": count}


def _skills_added_clean(added: Iterable[str], *, found: list[dict], index: keywords.KeywordIndex) -> list[str]:
    """The added skills, checked, each once, without the ones the version already lists (by name or by the keyword
    index's key)."""
    added = list(added)
    if len(added) > MAX_ADDED_ENTRIES:  # refused before looking each one up
        raise ValidationError({"skills_added": [_too_many(len(added))]}, code="too_many")
    errors: list[str] = []
    kept: list[str] = []
    seen: set[str] = {_same_skill(str(skill.get("name") or "")) for skill in found}
    found_keys = {(skill.get("taxonomy"), skill.get("key")) for skill in found}
    for raw in added:
        name = " ".join(str(raw).split())
        if not name:
            continue
        if len(name) > MAX_SKILL_CHARS:
            errors.append(
                _("“%(start)s…” is longer than %(max)s characters.") % {"start": name[:20], "max": MAX_SKILL_CHARS}
            )
            continue
        if not name.isprintable():
            errors.append(
                _("“%(name)s” has characters that cannot be shown.")
                % {"name": name.encode("unicode_escape").decode()[:40]}
            )
            continue
        known = _index_skill(name, index)
        if _same_skill(name) in seen or (known and (known["taxonomy"], known["key"]) in found_keys):
            continue
        seen.add(_same_skill(name))
        if known:
            found_keys.add((known["taxonomy"], known["key"]))
        kept.append(name)
    if len(kept) > MAX_ADDED_SKILLS:
        errors.append(_too_many(len(kept)))
    if errors:
        raise ValidationError({"skills_added": errors}, code="invalid")
    return kept


def cv_correction_save(
    *,
    user: User,
    cv: CVDocument,
    skills_removed: Iterable[str] = (),
    skills_added: Iterable[str] | str = (),
    title: str = "",
    years_experience: int | str | None = None,
) -> CVCorrection | None:
    """Replaces the correction of ``cv`` (a read version of ``user``'s) with these values, or removes it when they
    correct nothing (None is returned). ``skills_added`` may be the text the seeker typed (comma- or line-separated).

    Everything is checked before anything is written: a refusal raises ValidationError naming each field
    (``skills_removed``, ``skills_added``, ``title``, ``years_experience``) and leaves the stored correction as it was.
    Raises PermissionError for another user's version.
    """
    require_tenant_schema()
    if cv.owner_id != user.pk:
        raise PermissionError("cv_correction_save: the CV version belongs to another user")
    if cv.status != CVDocument.Status.PARSED:
        raise ValidationError(_("This version has not been read, so there is nothing to correct yet."), code="unread")
    found = [skill for skill in (cv.parsed or {}).get("skills") or [] if isinstance(skill, dict)]
    found_keys = {str(skill.get("key")) for skill in found if skill.get("key")}
    index = keywords.keyword_index()
    errors: dict[str, list[str]] = {}

    removed = sorted({str(key) for key in skills_removed})
    unknown = [key for key in removed if key not in found_keys]
    if unknown:
        errors["skills_removed"] = [_("Only skills we found in this version can be removed.")]
    if isinstance(skills_added, str):
        skills_added = skills_added_split(skills_added)
    try:
        added = _skills_added_clean(
            skills_added, found=[s for s in found if str(s.get("key")) not in removed], index=index
        )
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    title = " ".join((title or "").split())
    if len(title) > MAX_TITLE_CHARS:
        errors["title"] = [_("Keep the job title to %(max)s characters.") % {"max": MAX_TITLE_CHARS}]
    elif title and not title.isprintable():
        errors["title"] = [_("The job title has characters that cannot be shown.")]
    try:
        years = _years_clean(years_experience)
    except ValidationError as invalid:
        errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        if not (removed or added or title or years is not None):
            CVCorrection.objects.filter(cv=cv).delete()
            correction = None
        else:
            correction, _created = CVCorrection.objects.update_or_create(
                cv=cv,
                defaults={
                    "skills_removed": removed,
                    "skills_added": added,
                    "title": title,
                    "years_experience": years,
                },
            )
    # What cv_parsed(cv) reads from now on, rather than a correction cached before this write.
    CVDocument.correction.related.set_cached_value(cv, correction)
    return correction


def cv_correction_of(cv: CVDocument) -> CVCorrection | None:
    """The version's correction, or None (one query at most per loaded version; none with
    ``select_related("correction")``)."""
    try:
        return cv.correction
    except CVCorrection.DoesNotExist:
        return None


def cv_correction_initial(cv: CVDocument) -> dict:
    """The stored correction as the correction form's initial values (empty ones without a correction)."""
    correction = cv_correction_of(cv)
    if correction is None:
        return {"skills_removed": [], "skills_added": "", "title": "", "years_experience": ""}
    return {
        "skills_removed": list(correction.skills_removed or []),
        "skills_added": "\n".join(correction.skills_added or []),
        "title": correction.title,
        "years_experience": "" if correction.years_experience is None else str(correction.years_experience),
    }


def cv_parsed(cv: CVDocument) -> dict:
    """The version's parsed data with the seeker's correction applied; ``cv.parsed`` itself when there is none.

    - ``skills``: the removed ones gone; each added one at the end, as the keyword index names it (or as written
      when the index does not know it), with ``"added_by_you": True`` and no evidence;
    - ``skills_removed``: the keys removed, so readers that find skills in the text again (the match) drop them too;
    - ``titles``: the corrected title first, ``"corrected": True``, read against the occupations like a CV title;
    - ``years_experience``: the corrected years, with ``years_experience_corrected: True``.

    Never modifies ``cv.parsed``.
    """
    parsed = dict(cv.parsed or {})
    correction = cv_correction_of(cv)
    if correction is None:
        return parsed
    index = keywords.keyword_index()
    added = [_added_skill(name, index) for name in correction.skills_added or []]
    added_ids = {(skill["taxonomy"], skill["key"]) for skill in added}
    removed = {str(key) for key in correction.skills_removed or []}
    skills = [
        skill
        for skill in parsed.get("skills") or []
        if str(skill.get("key")) not in removed and (skill.get("taxonomy"), skill.get("key")) not in added_ids
    ]
    listed = {(skill.get("taxonomy"), skill.get("key")) for skill in skills}
    for skill in added:
        if (skill["taxonomy"], skill["key"]) not in listed:
            listed.add((skill["taxonomy"], skill["key"]))
            skills.append(skill)
    parsed["skills"] = skills
    parsed["skills_removed"] = sorted(removed - {key for _taxonomy, key in added_ids})
    if correction.title:
        matches = keywords.titles_match(text=correction.title, sections=[], index=index)
        occupation = matches[0] if matches else {}
        corrected = {
            "title_as_written": correction.title,
            "occupation_code": occupation.get("occupation_code", ""),
            "occupation_title": occupation.get("occupation_title", ""),
            "taxonomy": occupation.get("taxonomy", ""),
            "evidence": "",
            "corrected": True,
        }
        parsed["titles"] = [
            corrected,
            *(
                title
                for title in parsed.get("titles") or []
                if _same_skill(str(title.get("title_as_written") or "")) != _same_skill(correction.title)
            ),
        ]
    if correction.years_experience is not None:
        parsed["years_experience"] = correction.years_experience
        parsed["years_experience_corrected"] = True
    return parsed
