"""POST /api/v1/predictions/{salary,interview,time-to-hire,match}: one prediction, or a batch of them.

A single prediction is a JSON object; a batch is ``{"items": [...], "explain": false}`` with up to
``MAX_BATCH_ITEMS`` objects. Interview and match also take ``{"application_id": N}``: the caller's own application
only, so another user's or another tenant's id is a 404 that carries none of its data. A malformed single request is
a 400 naming the field (an unknown field, a wrong JSON type or a value out of range: predictions/api/inputs.py); a
batch is answered per item (``BATCH_DESCRIPTION``); no trained model is a 503; unknown titles, countries or currencies
are answered with ``low_confidence`` and the reasons.

Each endpoint needs its feature in the caller's plan (billing.entitlements): otherwise a 403 whose ``detail`` says
why. Salary on a plan without ranges answers the basic estimate only (the median, ``"basic": true``).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar

from django.db.models.functions import Coalesce, Length
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from billing.entitlements import entitlement_check, plan_for
from billing.gating import entitlement_require
from billing.models import Feature
from cvplus.text_limits import (
    MAX_CV_TEXT_CHARS,
    MAX_DESCRIPTION_CHARS,
    batch_text_check,
    bounded_text_field,
    texts_read_length,
)
from market.industries import INDUSTRY_CODES, industry_choices
from predictions import service
from predictions.api.inputs import UNKNOWN_FIELD, StrictInputMixin
from predictions.application_panel import salary_basic
from predictions.errors import ModelUnavailable
from predictions.interview.features import INPUT_CATEGORIES, INPUT_RANGES, InterviewInput, interview_feature_row
from predictions.models import ApplicationPrediction, PredictionLog
from predictions.served import Served, served_predictions_keep
from predictions.service import MAX_BATCH_ITEMS
from tracking.api.base import ServiceAPIView
from tracking.models import Application
from tracking.selectors import application_list

COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
SALARY_EMPLOYMENT_TYPES = ["FT", "PT", "CT", "FL"]  # the surveys' codes (named in SPECTACULAR_SETTINGS)
CURRENCY_RE = re.compile(r"^[A-Za-z]{3}$")
NAICS_RE = re.compile(r"^\d{2}[\d-]{0,10}$")  # a sector ("62", "31-33", "31--33") or a longer NAICS code
# Applications a posting received: far above any real posting's, low enough that the feature code's float() of it
# cannot overflow (a 400-digit integer is valid JSON).
MAX_APPLICATION_COUNT = 1_000_000
NOT_WITH_APPLICATION_ID = gettext_lazy("Send either application_id or the raw inputs, not both.")
BATCH_DESCRIPTION = gettext_lazy(
    'Send one object, or a batch {"items": [...], "explain": false}. A field the endpoint does not know, a value '
    "of the wrong JSON type (text for a number, true for a number, a number for a text) or out of range is refused "
    "under the field's name, in the request's language (Accept-Language). A single object with such an error is a "
    '400. A batch is answered per item, not all or nothing: the response is {"items": [...], "failed": [...]} '
    'with one entry per requested item in the same order, either its answer or {"index": i, "errors": '
    '{"field": ["message"]}}, and failed lists the indexes of the items that were refused (empty when all '
    "were answered). This holds even when every item fails (still a 200). Only what concerns the batch as a whole "
    "is a 400 for the whole request: items not a list, empty or over 10,000 items, an unknown top-level field, or "
    "more text than the batch allows."
)


class ModelUnavailableError(exceptions.APIException):
    status_code = 503
    default_code = "model_unavailable"


def _country(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if not COUNTRY_RE.match(value):
        raise serializers.ValidationError(_("Enter a two-letter country code, such as US or DE."))
    return value.upper()


@dataclass(frozen=True)
class ValidatedRequest:
    """A request's valid items (in request order, with their indexes) and the errors of the others.

    A single object is valid or a 400, so ``errors`` is filled for batches only: a batch is answered per item.
    """

    items: list[dict]
    indexes: list[int]
    errors: dict[int, dict]
    is_batch: bool
    explain: bool

    def body(self, results: list[dict]) -> dict:
        """The response: the single answer, or ``{"items": [...], "failed": [...]}`` with one entry per requested
        item in request order, an answer or ``{"index": i, "errors": {"field": ["message"]}}``, and the failing
        indexes in ``failed`` (empty when every item was answered)."""
        if not self.is_batch:
            return results[0]
        answers = dict(zip(self.indexes, results, strict=True))
        size = len(self.indexes) + len(self.errors)
        items = [answers[i] if i in answers else {"index": i, "errors": self.errors[i]} for i in range(size)]
        return {"items": items, "failed": sorted(self.errors)}


_input_serializers = threading.local()


def input_serializer(serializer_class: type[serializers.Serializer]) -> serializers.Serializer:
    """A context-free instance of ``serializer_class`` for this thread and the active language, to call
    ``run_validation`` on.

    DRF deep-copies every declared field each time a serializer is built (about a tenth of a salary request's CPU).
    ``run_validation`` keeps nothing on the instance (unlike ``is_valid``). Per language: DRF's range validators
    format their message once (``lazy_format`` keeps its first result), in the language of their first error. Per
    thread: gunicorn's threads share the class."""
    instances = _input_serializers.__dict__.setdefault("by_class", {})
    key = (serializer_class, get_language())
    if (instance := instances.get(key)) is None:
        instance = instances[key] = serializer_class()
    return instance


class PredictionView(ServiceAPIView):
    """Validates a single object or a batch with the view's ``InputSerializer`` and hands the valid items to
    ``serve``.

    A batch is answered per item: each item is validated on its own, the valid ones are predicted, and each failing
    one is reported by index with its errors (``ValidatedRequest.body``), also when none is valid (a 200 whose items
    are all errors: the status describes the batch, each item's outcome is in its entry). What concerns the batch as
    a whole is a 400 for the whole request: not an object, ``items`` not a list, empty or over ``MAX_BATCH_ITEMS``,
    an unknown top-level field, the valid items' text over the batch budget, or ids mixed with raw inputs.
    """

    InputSerializer: ClassVar[type[serializers.Serializer]]
    feature: ClassVar[str]  # the billing feature a caller's plan must include (billing.entitlements)
    # Text-heavy inputs: their lengths in a batch count against cvplus.text_limits.MAX_BATCH_TEXT_CHARS.
    batch_text_fields: ClassVar[tuple[str, ...]] = ()

    def serve(self, items: list[dict], *, explain: bool) -> list[dict]:
        raise NotImplementedError

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ModelUnavailable):
            exc = ModelUnavailableError(detail=exc.message)
        return super().handle_exception(exc)

    def validated(self, data: Any) -> ValidatedRequest:
        """The valid items and the failing ones' errors, or a 400 naming the field (a single object, or what is
        wrong with the batch as a whole)."""
        if not isinstance(data, Mapping):
            raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        child = input_serializer(self.InputSerializer)
        if "items" not in data:
            try:
                return ValidatedRequest([dict(child.run_validation(data))], [0], {}, is_batch=False, explain=True)
            except exceptions.ValidationError as error:  # what is_valid(raise_exception=True) raises
                raise exceptions.ValidationError(serializers.as_serializer_error(error)) from error
        batch = BatchSerializer(data=data)
        batch.is_valid(raise_exception=True)
        items, indexes, errors = [], [], {}
        for index, raw_item in enumerate(batch.validated_data["items"]):
            try:
                items.append(dict(child.run_validation(raw_item)))
            except exceptions.ValidationError as error:
                errors[index] = serializers.as_serializer_error(error)
            else:
                indexes.append(index)
        if self.batch_text_fields:  # before any text is read: each item is within its limits, the batch may not be
            raws = [item.get("raw", item) for item in items]
            batch_text_check(texts_read_length(raw.get(name) for raw in raws for name in self.batch_text_fields))
        return ValidatedRequest(items, indexes, errors, is_batch=True, explain=batch.validated_data["explain"])

    def get_serializer_class(self) -> type[serializers.Serializer]:
        """For the OpenAPI schema: the single-object form (a batch wraps a list of them in ``items``)."""
        return self.InputSerializer

    @extend_schema(description=BATCH_DESCRIPTION, responses={200: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT})
    def post(self, request: Request) -> Response:
        self.plan = plan_for(request.user)  # one lookup per request, for every question below
        entitlement_require(user=request.user, feature=self.feature, plan=self.plan)  # a 403 before any work
        validated = self.validated(request.data)
        results = self.serve(validated.items, explain=validated.explain) if validated.items else []
        return Response(validated.body(results))


class BatchSerializer(StrictInputMixin, serializers.Serializer):
    """The batch envelope; each item is validated on its own by the view's ``InputSerializer``."""

    items = serializers.ListField(allow_empty=False, max_length=MAX_BATCH_ITEMS)
    explain = serializers.BooleanField(
        default=False, help_text=gettext_lazy("Add each prediction's reasons (slower for large batches).")
    )


# ---------------------------------------------------------------------------------------------------------------------
# Salary and time to hire
# ---------------------------------------------------------------------------------------------------------------------


class SalaryView(PredictionView):
    """Salary range (P10/P50/P90) in USD and the requested or local currency, with reasons and confidence."""

    class InputSerializer(StrictInputMixin, serializers.Serializer):
        title = serializers.CharField(max_length=200)
        experience_level = serializers.ChoiceField(
            choices=["EN", "MI", "SE", "EX"],
            required=False,
            allow_null=True,
            help_text=gettext_lazy(
                "Entry, mid, senior or executive. Left out: read from the title's seniority words (Senior, Head "
                "of...), else mid-level; the answer's assumptions say which."
            ),
        )
        employment_type = serializers.ChoiceField(
            choices=SALARY_EMPLOYMENT_TYPES, help_text=gettext_lazy("Full-time, part-time, contract or freelance.")
        )
        remote_ratio = serializers.IntegerField(min_value=0, max_value=100)
        company_size = serializers.ChoiceField(choices=["S", "M", "L"])
        company_country = serializers.CharField(max_length=2, help_text=gettext_lazy("ISO 3166 code, e.g. US."))
        residence_country = serializers.CharField(max_length=2, required=False, allow_null=True, allow_blank=True)
        work_year = serializers.IntegerField(min_value=2000, max_value=2100, required=False, allow_null=True)
        currency = serializers.CharField(
            max_length=3, required=False, allow_null=True, allow_blank=True, help_text=gettext_lazy("e.g. EUR.")
        )
        state = serializers.CharField(max_length=2, required=False, allow_null=True, allow_blank=True)
        industry = serializers.CharField(
            max_length=100,
            required=False,
            allow_null=True,
            allow_blank=True,
            help_text=gettext_lazy(
                "One of the industries (e.g. healthcare) or a NAICS sector (e.g. 62): titles outside the "
                "salary surveys then use that sector's BLS wages."
            ),
        )

        def validate_company_country(self, value: str) -> str:
            return _country(value) or ""

        def validate_residence_country(self, value: str | None) -> str | None:
            return _country(value)

        def validate_state(self, value: str | None) -> str | None:
            if value and not COUNTRY_RE.match(value):
                raise serializers.ValidationError(_("Enter a two-letter state code, such as CA."))
            return value.upper() if value else None

        def validate_currency(self, value: str | None) -> str | None:
            if value and not CURRENCY_RE.match(value):
                raise serializers.ValidationError(_("Enter a three-letter currency code, such as EUR."))
            return value.upper() if value else None

        def validate_industry(self, value: str | None) -> str | None:
            if value and value not in INDUSTRY_CODES and not NAICS_RE.match(value):
                message = _("Enter one of the industries (%(codes)s) or a NAICS sector code, such as 62.")
                raise serializers.ValidationError(message % {"codes": ", ".join(INDUSTRY_CODES)})
            return value or None

    feature = Feature.SALARY_BASIC

    def serve(self, items: list[dict], *, explain: bool) -> list[dict]:
        user = self.request.user
        if entitlement_check(user=user, feature=Feature.SALARY_RANGE, plan=self.plan).allowed:
            return service.salary_serve(user=user, items=items, explain=explain)
        # The basic estimate only: the median, without the range or its reasons (``"basic": true``).
        return [salary_basic(result) for result in service.salary_serve(user=user, items=items, explain=False)]


class TimeToHireView(PredictionView):
    """Days from posting to an offer (P10/P50/P90), with reasons and confidence."""

    class InputSerializer(StrictInputMixin, serializers.Serializer):
        title = serializers.CharField(max_length=200)
        country = serializers.CharField(max_length=2, required=False, allow_null=True, allow_blank=True)
        state = serializers.CharField(max_length=2, required=False, allow_null=True, allow_blank=True)
        application_count = serializers.IntegerField(
            min_value=0, max_value=MAX_APPLICATION_COUNT, required=False, allow_null=True
        )
        posting_open_days = serializers.IntegerField(
            min_value=0,
            max_value=365,
            required=False,
            allow_null=True,
            help_text=gettext_lazy("Days between the posting opening and its closing date, when the posting says."),
        )
        posted_on = serializers.DateField(
            required=False, allow_null=True, help_text=gettext_lazy("When the posting went up (its month matters).")
        )

        def validate_country(self, value: str | None) -> str | None:
            return _country(value)

        def validate_state(self, value: str | None) -> str | None:
            if value and not COUNTRY_RE.match(value):
                raise serializers.ValidationError(_("Enter a two-letter state code, such as CA."))
            return value.upper() if value else None

    feature = Feature.TIME_TO_HIRE

    def serve(self, items: list[dict], *, explain: bool) -> list[dict]:
        return service.time_to_hire_serve(user=self.request.user, items=items, explain=explain)


# ---------------------------------------------------------------------------------------------------------------------
# Interview and match: {"application_id": N} or raw inputs
# ---------------------------------------------------------------------------------------------------------------------


class ApplicationOrRawSerializer(StrictInputMixin, serializers.Serializer):
    """``{"application_id": N}`` or the raw fields of ``raw_serializer()``; validated as ``{"application_id": N}`` or
    ``{"raw": {...}}``."""

    application_id = serializers.IntegerField(min_value=1, required=False)

    def raw_serializer(self) -> type[serializers.Serializer]:
        raise NotImplementedError

    def to_internal_value(self, data: Any) -> dict:
        if not isinstance(data, Mapping):
            raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        if "application_id" in data:
            raw_fields = self.raw_serializer()._declared_fields
            extra = {name: [str(NOT_WITH_APPLICATION_ID if name in raw_fields else UNKNOWN_FIELD)] for name in data}
            extra.pop("application_id")
            try:
                value = super().to_internal_value({"application_id": data["application_id"]})
            except exceptions.ValidationError as error:
                raise exceptions.ValidationError({**extra, **error.detail}) from error
            if extra:
                raise exceptions.ValidationError(extra)
            return value
        raw = self.raw_serializer()(data=data)
        if not raw.is_valid():
            raise exceptions.ValidationError(raw.errors)
        return {"raw": dict(raw.validated_data)}


def _field_for(name: str, annotation: object, required: bool) -> serializers.Field:
    """A serializer field for one of ``InterviewInput``'s fields (the module may use postponed annotations, i.e.
    strings), with the bounds or categories the feature code checks (``INPUT_RANGES``, ``INPUT_CATEGORIES``)."""
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    nullable = "None" in text or "Optional" in text
    base = text.replace("| None", "").replace("None |", "").replace("Optional[", "").rstrip("]").strip()
    options: dict[str, Any] = {"required": required, "allow_null": nullable}
    if name in INPUT_CATEGORIES:
        return serializers.ChoiceField(choices=list(INPUT_CATEGORIES[name]), allow_blank=True, **options)
    if name in INPUT_RANGES and base in ("int", "float"):
        low, high = INPUT_RANGES[name]
        options.update(min_value=low, max_value=high)
    if base == "bool":
        return serializers.BooleanField(**options)
    if base == "int":
        return serializers.IntegerField(**options)
    if base == "float":
        return serializers.FloatField(**options)
    if base == "str":
        return serializers.CharField(max_length=500, allow_blank=True, **options)
    return serializers.JSONField(**options)


def _interview_raw_validate(self: serializers.Serializer, attrs: dict) -> dict:
    """The fields declare the feature code's bounds and categories; the feature code itself still runs (one code
    path), so a check it gains is never skipped by the API."""
    try:
        interview_feature_row(InterviewInput(**attrs))
    except ValueError as error:
        field, _sep, detail = str(error).partition(": ")
        message = _("Enter a value in range or one of the allowed values (%(detail)s).") % {"detail": detail}
        raise serializers.ValidationError({field if field in attrs else "non_field_errors": [message]}) from error
    return attrs


@cache
def interview_raw_serializer() -> type[serializers.Serializer]:
    """Built from ``InterviewInput``'s fields, so the API takes exactly the model's inputs."""
    attributes: dict[str, Any] = {
        name: _field_for(name, kind, required) for name, kind, required in service.interview_input_fields()
    }
    attributes["validate"] = _interview_raw_validate
    return type("InterviewRawInputSerializer", (StrictInputMixin, serializers.Serializer), attributes)


def _owned_applications(user: Any, ids: list[int]) -> list[Application]:
    """The user's applications with these ids, in request order; a 404 carrying no data when any is not theirs."""
    found = {
        a.pk: a for a in application_list(user=user).select_related("cv", "cv__correction").filter(pk__in=set(ids))
    }
    if any(pk not in found for pk in ids):
        raise exceptions.NotFound()
    return [found[pk] for pk in ids]


def _stored_text_chars(user: Any, ids: list[int]) -> int:
    """The characters of the CV text and posting description each id's match reads, repeats counted (one query,
    before any text is loaded; ids that are not the user's count nothing and become a 404 afterwards)."""
    sizes = dict(
        application_list(user=user)
        .filter(pk__in=set(ids))
        .annotate(chars=Coalesce(Length("cv__text"), 0) + Coalesce(Length("posting__description"), 0))
        .values_list("pk", "chars")
    )
    return sum(sizes.get(pk, 0) for pk in ids)


class ApplicationOrRawView(PredictionView):
    def split(self, items: list[dict]) -> tuple[list[Application], list[dict]]:
        with_ids = [item["application_id"] for item in items if "application_id" in item]
        if with_ids and len(with_ids) != len(items):
            message = _("Send either application ids or raw inputs in one batch, not both.")
            raise exceptions.ValidationError({"items": [message]})
        if with_ids:
            if len(with_ids) > 1:  # interview reads each application's match too
                batch_text_check(_stored_text_chars(self.request.user, with_ids))
            return _owned_applications(self.request.user, with_ids), []
        return [], [item["raw"] for item in items]


class InterviewView(ApplicationOrRawView):
    """Interview and offer probability for one of your applications (``application_id``) or for raw inputs; a
    documented prior with ``insufficient_data`` until enough outcomes are tracked."""

    class InputSerializer(ApplicationOrRawSerializer):
        def raw_serializer(self) -> type[serializers.Serializer]:
            return interview_raw_serializer()

    feature = Feature.INTERVIEW

    def serve(self, items: list[dict], *, explain: bool) -> list[dict]:
        applications, inputs = self.split(items)
        results = service.interview_serve(
            user=self.request.user, applications=applications, inputs=inputs, explain=explain
        )
        if applications:  # raw inputs name no application: nothing to keep
            served = [
                Served(application, ApplicationPrediction.Kind.INTERVIEW, result)
                for application, result in zip(applications, results, strict=True)
            ]
            served_predictions_keep(served=served, source=PredictionLog.Source.API)
        return results


MATCH_TEXT_FIELDS = ("cv_text", "posting_title", "posting_description", "must_have", "nice_to_have")


class MatchRawInputSerializer(StrictInputMixin, serializers.Serializer):
    cv_text = bounded_text_field(MAX_CV_TEXT_CHARS)
    posting_title = bounded_text_field(200)
    posting_description = bounded_text_field(MAX_DESCRIPTION_CHARS, allow_blank=True)
    must_have = serializers.ListField(child=bounded_text_field(500), max_length=60, required=False, allow_null=True)
    nice_to_have = serializers.ListField(child=bounded_text_field(500), max_length=60, required=False, allow_null=True)
    industry = serializers.ChoiceField(
        choices=industry_choices(),
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("The posting's industry (e.g. healthcare); detected from the posting when left out."),
    )


class MatchView(ApplicationOrRawView):
    """CV-to-posting match (0-100) with its evidence, for one of your applications (``application_id``) or for raw
    ``cv_text``, ``posting_title`` and ``posting_description``."""

    class InputSerializer(ApplicationOrRawSerializer):
        def raw_serializer(self) -> type[serializers.Serializer]:
            return MatchRawInputSerializer

    feature = Feature.MATCH
    batch_text_fields = MATCH_TEXT_FIELDS

    def serve(self, items: list[dict], *, explain: bool) -> list[dict]:
        applications, inputs = self.split(items)
        return service.match_serve(user=self.request.user, applications=applications, inputs=inputs)
