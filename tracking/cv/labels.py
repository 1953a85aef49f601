"""A parsed CV as the CV page shows it: skill and occupation names in the reader's language.

The parsed document keeps the reference data's names (matching and the industry weights read them); this adds the
name to show beside each: a skill concept's label in the active language, an occupation's ESCO label in German,
French or Spanish, job tag's title in Japanese (English O*NET title where neither has one,
market.loaders._load_esco_labels). One query for the titles of a CV.
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tracking.cv.concepts import skill_label

LANGUAGE_NAMES = {
    "en": _("English"),
    "de": _("German"),
    "fr": _("French"),
    "es": _("Spanish"),
    "ja": _("Japanese"),
    "it": _("Italian"),
    "pt": _("Portuguese"),
    "nl": _("Dutch"),
    "pl": _("Polish"),
    "ru": _("Russian"),
    "ko": _("Korean"),
    "zh": _("Chinese"),
    "ar": _("Arabic"),
    "el": _("Greek"),
    "he": _("Hebrew"),
    "hi": _("Hindi"),
    "th": _("Thai"),
}


def occupation_labels(keys: set[tuple[str, str]], language: str) -> dict[tuple[str, str], str]:
    """(taxonomy, code) -> the occupation's label in ``language``, falling back to English."""
    from market.models import Occupation

    if not keys:
        return {}
    rows = Occupation.objects.filter(code__in={code for _taxonomy, code in keys}).values_list(
        "taxonomy", "code", *label_columns(language)
    )
    return {(taxonomy, code): label for taxonomy, code, *labels in rows if (label := next(filter(None, labels), ""))}


def label_columns(language: str) -> tuple[str, ...]:
    """The translated label columns to read for ``language``, its own first, English last."""
    return (f"label_{language}", "label_en") if language in ("de", "fr", "es", "ja") else ("label_en",)


def parsed_for_display(parsed: dict, language: str | None = None) -> dict:
    """A shallow copy of ``parsed`` with ``shown`` on each skill, ``occupation_shown`` on each title, and the
    detected language's name; the stored document is not changed."""
    language = (language or translation.get_language() or "en").split("-")[0]
    shown = dict(parsed)
    shown["skills"] = [
        {**skill, "shown": skill_label(skill, language)} if isinstance(skill, dict) else skill
        for skill in parsed.get("skills") or []
    ]
    titles = [title for title in parsed.get("titles") or [] if isinstance(title, dict)]
    labels = occupation_labels(
        {(title.get("taxonomy", ""), title.get("occupation_code", "")) for title in titles}, language
    )
    shown["titles"] = [
        {
            **title,
            "occupation_shown": labels.get((title.get("taxonomy", ""), title.get("occupation_code", "")))
            or title.get("occupation_title", ""),
        }
        for title in titles
    ]
    detected = parsed.get("language") or {}
    if detected:
        shown["language_name"] = LANGUAGE_NAMES.get(detected.get("code", ""), "")
        shown["language_mixed"] = [LANGUAGE_NAMES.get(code, code) for code in detected.get("mixed") or []]
    return shown
