"""Strict JSON input for every prediction serializer (tenant and licensee API): one mixin, so every endpoint and
every item of a batch refuses the same things with the same messages, each under the field it is about.

DRF by default ignores fields it does not know (a typo such as ``salry`` silently drops the value) and coerces types
the way HTML forms need: ``"5"`` or ``5.0`` for an integer, ``true`` for a float (1.0), ``"NaN"`` or ``"Infinity"``
for a float, ``123`` for a text, ``"yes"`` or ``1`` for a boolean. A JSON client that sends those has a bug, and an
answer computed from the coerced value hides it. ``StrictInputMixin`` refuses, with a 400 naming the field:
- a field the serializer does not declare (``UNKNOWN_FIELD``);
- a number field given anything but a JSON number (text, true/false), a non-finite number, or one too large to be a
  float (a 400-digit integer overflowed to a 500 in the feature code);
- a text field given anything but a JSON string; a boolean field given anything but true/false.
Type errors use the field's own DRF message ("A valid integer is required.", …), which DRF's catalogues translate;
the language is the request's (tenants.middleware.TenantLocaleMiddleware: Accept-Language first under /api/).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework import serializers

UNKNOWN_FIELD = gettext_lazy("Unknown field.")


def _type_error(field: serializers.Field, value: object) -> str | None:
    """The field's own "invalid" message when ``value`` is not of the field's JSON type, else None."""
    if value is None:
        return None  # the field's null handling decides
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else str(field.error_messages["invalid"])
    if isinstance(field, serializers.IntegerField | serializers.FloatField | serializers.DecimalField):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return str(field.error_messages["invalid"])
        try:
            finite = math.isfinite(float(value))
        except OverflowError:
            finite = False
        return None if finite else str(field.error_messages["invalid"])
    if isinstance(field, serializers.CharField) and not isinstance(value, str):
        return str(field.error_messages["invalid"])
    if isinstance(field, serializers.ChoiceField) and not isinstance(value, str):
        return str(field.error_messages["invalid_choice"]).format(input=value)
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        return next((message for item in value if (message := _type_error(field.child, item))), None)
    return None


class StrictInputMixin:
    """Put first in a Serializer's bases. Refuses undeclared fields and values of the wrong JSON type (see the module
    docstring), reporting them together with the other fields' errors."""

    def unknown_fields(self, data: Mapping[str, Any]) -> list[str]:
        writable = {name for name, field in self.fields.items() if not field.read_only}
        return [name for name in data if name not in writable]

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)  # DRF's own "Invalid data. Expected a dictionary" error
        errors: dict[str, list[str]] = {name: [str(UNKNOWN_FIELD)] for name in self.unknown_fields(data)}
        for name, field in self.fields.items():
            if name in data and not field.read_only and (message := _type_error(field, data[name])):
                errors[name] = [message]
        try:
            value = super().to_internal_value({k: v for k, v in data.items() if k not in errors})
        except serializers.ValidationError as error:
            detail = error.detail if isinstance(error.detail, dict) else {"non_field_errors": error.detail}
            raise serializers.ValidationError({**detail, **errors}) from error
        if errors:
            raise serializers.ValidationError(errors)
        return value
