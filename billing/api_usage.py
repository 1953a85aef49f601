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
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, views
from rest_framework.request import Request
from rest_framework.response import Response

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


class DegradedModeMixin:
    """A metering answer Redis lost, or any other Redis failure that escaped, is a 503 with Retry-After: the caller
    retries, and nothing is counted twice."""

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
        return super().handle_exception(exc)  # type: ignore[misc]


class LicenseeUsageView(DegradedModeMixin, views.APIView):
    """The calling licensee's own usage: this month's quota and what is left, the last months and days."""

    authentication_classes: ClassVar[list] = [ApiKeyAuthentication]
    permission_classes: ClassVar[list] = [HasActiveLicence]

    class OutputSerializer(serializers.Serializer):
        licensee = serializers.CharField()
        plan = serializers.CharField()
        monthly_quota = serializers.IntegerField(allow_null=True)
        remaining = serializers.IntegerField(allow_null=True)
        months = serializers.ListField(child=serializers.DictField())
        days = serializers.ListField(child=serializers.DictField())

    @extend_schema(description=LICENSEE_API_DESCRIPTION, responses={200: OutputSerializer})
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
