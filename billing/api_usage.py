"""GET /api/v1/licensee/usage on the public host, authenticated by API key only (billing/api_auth.py): the calling
licensee's own usage. The licensee prediction endpoints (predictions/api/licensee.py) share its description and its
answer when metering fails.

With Redis down the calls are metered in PostgreSQL; when Redis took the metering question and its answer was lost,
a licensee request is a 503 with Retry-After (billing/metering.py). The usage call reads PostgreSQL.
"""

from __future__ import annotations

import logging
from typing import ClassVar

import redis
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, views
from rest_framework.request import Request
from rest_framework.response import Response

from billing import licensee_api_examples as examples
from billing.api_auth import ApiKeyAuthentication, HasActiveLicence
from billing.metering import MeteringUnavailable, quota_remaining, usage_days, usage_flush_for_reading, usage_months

logger = logging.getLogger(__name__)

LICENSEE_API_DESCRIPTION = gettext_lazy(
    "For API licensees, with an API key (Authorization: Bearer <key> or X-API-Key). Send one object or a batch "
    '{"items": [...]}; a batch uses one call of the monthly quota per answered item (refused items cost nothing) '
    "and is refused whole when they do not fit. Interview and offer odds here are the published prior of the "
    "application's channel (no tracked outcomes of yours or anyone's), each with its credible interval (80 %) and "
    "basis."
)


class ErrorSerializer(serializers.Serializer):
    """The documented error body (for the OpenAPI document): what is wrong and a stable code to branch on."""

    detail = serializers.CharField(help_text=gettext_lazy("What went wrong, in the request's language."))
    code = serializers.CharField(help_text=gettext_lazy("A stable code, e.g. invalid_api_key or quota_exceeded."))
    retry_after = serializers.IntegerField(
        required=False, help_text=gettext_lazy("429 and 503 only: seconds to wait (also in the Retry-After header).")
    )
    remaining = serializers.IntegerField(
        required=False, allow_null=True, help_text=gettext_lazy("quota_exceeded only: calls left this month.")
    )


def licensee_error_responses(*, limited: bool = True) -> dict:
    """The error responses every licensee endpoint documents (examples: billing/licensee_api_examples.py)."""
    responses = {
        401: OpenApiResponse(ErrorSerializer, description=gettext_lazy("No API key, or not a working one.")),
        403: OpenApiResponse(ErrorSerializer, description=gettext_lazy("The licence is inactive.")),
    }
    if limited:
        responses[400] = OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=gettext_lazy('Invalid input: {"field": ["message", ...]}, one entry per invalid field.'),
        )
        responses[429] = OpenApiResponse(
            ErrorSerializer, description=gettext_lazy("The rate limit or the monthly quota was reached.")
        )
        responses[503] = OpenApiResponse(
            ErrorSerializer, description=gettext_lazy("No model to answer, or metering unavailable: retry later.")
        )
    return responses


class DegradedModeMixin:
    """A metering answer Redis lost, or any other Redis failure that escaped, is a 503 with Retry-After: the caller
    retries, and nothing is counted twice. Every error that is not about a field carries a stable ``code`` beside its
    translated ``detail`` (the licensee API's documented error format), so clients branch on the code."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
            logger.warning("Licensee API answered 503: Redis failed (%s).", exc)
            exc = MeteringUnavailable()
        if isinstance(exc, MeteringUnavailable):
            detail = _("Usage metering is unavailable for a moment. Please retry after %(seconds)s seconds.") % {
                "seconds": exc.retry_after
            }
            body = {"detail": detail, "code": "metering_unavailable", "retry_after": exc.retry_after}
            return Response(body, status=503, headers={"Retry-After": str(exc.retry_after)})
        response = super().handle_exception(exc)  # type: ignore[misc]
        if (
            isinstance(exc, exceptions.APIException)
            and not isinstance(exc, exceptions.ValidationError)
            and isinstance(response.data, dict)
            and set(response.data) == {"detail"}
        ):
            codes = exc.get_codes()
            response.data["code"] = codes if isinstance(codes, str) else exc.default_code
        return response


class LicenseeUsageView(DegradedModeMixin, views.APIView):
    """The calling licensee's own usage: this month's quota and what is left, the last months and days."""

    authentication_classes: ClassVar[list] = [ApiKeyAuthentication]
    permission_classes: ClassVar[list] = [HasActiveLicence]

    @extend_schema_serializer(component_name="Usage")
    class OutputSerializer(serializers.Serializer):
        licensee = serializers.CharField()
        plan = serializers.CharField()
        monthly_quota = serializers.IntegerField(allow_null=True)
        remaining = serializers.IntegerField(allow_null=True)
        months = serializers.ListField(child=serializers.DictField())
        days = serializers.ListField(child=serializers.DictField())

    @extend_schema(
        summary=gettext_lazy("Your usage"),
        description=gettext_lazy(
            "This month's calls and what is left of the quota (null: the plan has no quota), calls per month and per "
            "day (UTC). Test keys' calls are not counted. Reading the usage is free and never rate-limited."
        ),
        responses={200: OutputSerializer, **licensee_error_responses(limited=False)},
        examples=examples.USAGE_EXAMPLES,
    )
    def get(self, request: Request) -> Response:
        licensee = request.user.licensee  # only the key's own licensee: there is no parameter naming another
        usage_flush_for_reading()  # with Redis down, PostgreSQL's record without the last seconds' calls
        data = {
            "licensee": licensee.name,
            "plan": licensee.plan.code,
            "monthly_quota": licensee.plan.api_monthly_quota,
            "remaining": quota_remaining(licensee),
            "months": [{"period": f"{u.period_start:%Y-%m}", "calls": u.calls} for u in usage_months(licensee)],
            "days": [{"day": d.day.isoformat(), "calls": d.calls} for d in usage_days(licensee)],
        }
        return Response(self.OutputSerializer(data).data)
