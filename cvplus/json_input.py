"""JSON from a request, parsed within bounds: the default DRF parser and the loader the Stripe webhook uses.

Refused with a message naming the problem (a 400 through DRF's ParseError):
- nesting deeper than ``MAX_JSON_DEPTH``: the decoder recurses once per level, so ``[`` × 100,000 raised
  RecursionError (a 500 on every JSON endpoint), and anything nested a few hundred levels would fail later, wherever
  the value is copied or rendered;
- text that cannot be stored: a NUL (``\\u0000``: PostgreSQL text and jsonb refuse it) or an unpaired surrogate
  (``\\ud800``: not encodable as UTF-8), both valid JSON escapes that used to fail in the database or the renderer;
- ``NaN`` and ``Infinity``, as DRF's own parser refuses them, and bodies that are not UTF-8.

Costs stay linear in the body: the decoder is C, the depth is one pass over the text outside strings (numpy), and the
walk that names a bad string runs only when the text holds such an escape.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32
# A string of valid JSON, escapes included (possessive: a string is read once, never re-split).
_STRING_RE = re.compile(r'"(?:[^"\\]++|\\.)*+"')
# Escapes that may decode to a NUL or a surrogate; a hit only means "look closer" (e.g. "\\u0000" is harmless).
_SUSPECT_ESCAPE_RE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")
_OPEN = (ord("["), ord("{"))
_CLOSE = (ord("]"), ord("}"))


class JSONInputError(ValueError):
    """A body that is not acceptable JSON; ``str(error)`` is a translated message for the caller."""


def _reject_constant(name: str) -> None:
    raise JSONInputError(_("%(name)s is not a valid JSON value.") % {"name": name})


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text``, which must be valid JSON (strings are well formed, and
    outside them everything is ASCII)."""
    structure = _STRING_RE.sub("", text).encode("ascii")
    codes = np.frombuffer(structure, dtype=np.uint8)
    steps = np.isin(codes, _OPEN).astype(np.int32) - np.isin(codes, _CLOSE).astype(np.int32)
    return int(np.cumsum(steps).max(initial=0))


def _unstorable_path(value: Any, path: str = "") -> str | None:
    """Where the first string (key or value) holding a NUL or an unpaired surrogate is, e.g. ``items[2].title``."""
    pending: list[tuple[Any, str]] = [(value, path)]
    while pending:
        current, where = pending.pop()
        if isinstance(current, str):
            if "\x00" in current or not _encodable(current):
                return where or "body"
        elif isinstance(current, dict):
            for key, item in reversed(list(current.items())):
                if "\x00" in key or not _encodable(key):
                    return f"{where}.{key!a}" if where else ascii(key)
                pending.append((item, f"{where}.{key}" if where else key))
        elif isinstance(current, list):
            pending.extend((item, f"{where}[{position}]") for position, item in reversed(list(enumerate(current))))
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_input_loads(body: bytes | str, *, encoding: str = "utf-8") -> Any:
    """The value of a JSON request body; JSONInputError (with a message for the caller) when it is refused."""
    if isinstance(body, bytes | bytearray):
        try:
            text = bytes(body).decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise JSONInputError(_("The body is not valid %(encoding)s text.") % {"encoding": encoding}) from None
    else:
        text = body
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise JSONInputError(_too_deep()) from None
    except JSONInputError:
        raise
    except ValueError as error:
        raise JSONInputError(_("The body is not valid JSON: %(error)s") % {"error": error}) from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise JSONInputError(_too_deep())
    if _SUSPECT_ESCAPE_RE.search(text):
        path = _unstorable_path(value)
        if path is not None:
            raise JSONInputError(
                _("The text at %(path)s holds a NUL character or an unpaired surrogate, which cannot be stored.")
                % {"path": path}
            )
    return value


def _too_deep() -> str:
    return _("The JSON body is nested more than %(limit)s levels deep.") % {"limit": MAX_JSON_DEPTH}


class BoundedJSONParser(parsers.JSONParser):
    """DRF's JSON parser with the bounds of ``json_input_loads`` (the default parser: REST_FRAMEWORK in settings)."""

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            return json_input_loads(stream.read(), encoding=encoding)
        except JSONInputError as error:
            raise ParseError(str(error)) from None
