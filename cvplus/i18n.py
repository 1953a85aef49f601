"""Content stored in every language: django-modeltranslation keeps one column per language (`name_fr`, ...), and
content defined in code (plans, industries, CV rules) is written to all of them from the catalogues."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise


def in_every_language(field: str, text: Promise | Callable[[], str]) -> dict[str, str]:
    """``{"<field>_<language>": value}`` for every language the site offers, each rendered with that language
    active: a lazy string is translated, a callable is called (for text that needs more than translating)."""
    values = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            values[f"{field}_{code.replace('-', '_')}"] = text() if callable(text) else str(text)
    return values
