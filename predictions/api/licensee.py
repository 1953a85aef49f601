"""The licensee API on the public host: POST /api/v1/licensee/predictions/{salary,time-to-hire,match} and
GET /api/v1/licensee/usage, authenticated by API key only (billing/api_auth.py).

Licensees are not tenants: they send raw inputs, validated by the same serializers as the tenant API, and get the
same predictors' answers. Interview probability is not offered: it needs applications tracked in a tenant. Nothing is
written to a tenant's prediction log; each call is metered in ApiUsage instead.

Order of checks: key (401/403), input, then rate and quota in one metering round trip (billing/metering.py): rate
429 (every request counts, a batch is one, an invalid one too: it is a 429 past the rate, else the 400 naming the
field, with no call metered), quota 429 (a batch of N items needs N calls and is refused whole if they do not fit),
then the answer. The metering decision is asked of Redis before the prediction and read after it (the two overlap);
a refused request gets its 429 and the prediction is discarded. Calls counted but not answered (a 503 for lack of a
model, or an error) are given back.

With Redis down the calls are metered in PostgreSQL and answered as usual; when Redis took the metering question and
its answer was lost, the request is a 503 with Retry-After (billing/metering.py). The usage call reads PostgreSQL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar

import redis
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, views
from rest_framework.request import Request
from rest_framework.response import Response

from billing.api_auth import ApiKeyAuthentication, HasActiveLicence
from billing.metering import (
    QUOTA,
    Metering,
    MeteringUnavailable,
    QuotaResult,
    meter,
    meter_refund,
    quota_remaining,
    usage_days,
    usage_flush_for_reading,
    usage_months,
)
from predictions import service
from predictions.api.views import MATCH_TEXT_FIELDS, MatchRawInputSerializer, PredictionView, SalaryView, TimeToHireView

logger = logging.getLogger(__name__)

LICENSEE_API_DESCRIPTION = gettext_lazy(
    "For API licensees, with an API key (Authorization: Bearer <key> or X-API-Key). Send one object or a batch "
    '{"items": [...]}; a batch of N items uses N calls of the monthly quota and is refused whole when they do not '
    "fit. Interview probability is not offered here: it needs applications tracked in CVPlus."
)


def _limit_response(result: QuotaResult) -> Response:
    if result.reason == QUOTA:
        detail = _("The monthly API quota is used up (or this batch does not fit in what is left).")
    else:
        detail = _("Too many requests this minute. Please retry after %(seconds)s seconds.") % {
            "seconds": result.retry_after
        }
    body = {"detail": detail, "code": f"{result.reason}_exceeded", "retry_after": result.retry_after}
    if result.reason == QUOTA:
        body["remaining"] = result.remaining
    return Response(body, status=429, headers={"Retry-After": str(result.retry_after)})


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


class LicenseePredictionView(DegradedModeMixin, PredictionView):
    """A tenant prediction view's validation, with API-key auth, rate, quota and metering instead of plans."""

    authentication_classes: ClassVar[list] = [ApiKeyAuthentication]
    permission_classes: ClassVar[list] = [HasActiveLicence]
    predict: ClassVar[Callable[..., list[dict]]]

    @extend_schema(
        description=LICENSEE_API_DESCRIPTION,
        responses={200: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        licensee = request.user.licensee
        try:
            items, is_batch, explain = self.validated(request.data)
        except exceptions.ValidationError:
            counted = meter(licensee, 0)  # a refused request still counts towards the rate
            if not counted.allowed:
                return _limit_response(counted)
            raise
        # Rate and quota in one Redis round trip, asked now and read after the prediction, which runs meanwhile:
        # nothing is answered before the decision, and a refused request's work is thrown away.
        metering = Metering(licensee, len(items))
        if metering.decided and not metering.result().allowed:
            return _limit_response(metering.result())
        try:
            results = type(self).predict(items, explain=explain)
        except Exception:
            quota = metering.result()
            if not quota.allowed:
                return _limit_response(quota)
            # Counted but not answered (a 503 without a model, or an error): given back where it was counted.
            meter_refund(licensee, len(items), counted_in=quota.counted_in)
            raise
        quota = metering.result()
        if not quota.allowed:
            return _limit_response(quota)
        headers = {} if quota.limit is None else {"X-Quota-Limit": str(quota.limit)}
        if quota.remaining is not None:
            headers["X-Quota-Remaining"] = str(quota.remaining)
        return Response({"items": results} if is_batch else results[0], headers=headers)


class LicenseeSalaryView(LicenseePredictionView):
    """Salary range (P10/P50/P90) in USD and the requested or local currency, with reasons and confidence."""

    InputSerializer = SalaryView.InputSerializer
    predict = staticmethod(service.salary_predict_items)


class LicenseeTimeToHireView(LicenseePredictionView):
    """Days from posting to an offer (P10/P50/P90), with reasons and confidence."""

    InputSerializer = TimeToHireView.InputSerializer
    predict = staticmethod(service.time_to_hire_predict_items)


def _match_predict(items: list[dict], *, explain: bool) -> list[dict]:
    return service.match_raw_predict(items)


class LicenseeMatchView(LicenseePredictionView):
    """CV-to-posting match (0-100) with its evidence, for raw ``cv_text``, ``posting_title`` and
    ``posting_description``."""

    InputSerializer = MatchRawInputSerializer
    batch_text_fields = MATCH_TEXT_FIELDS
    predict = staticmethod(_match_predict)


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
