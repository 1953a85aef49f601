"""The licensee prediction API on the public host: POST /api/v1/licensee/predictions/{salary,time-to-hire,match},
authenticated by API key only (billing/api_auth.py); billing keeps the keys, the metering and GET
/api/v1/licensee/usage (billing/api_usage.py). The URLs are assembled in cvplus/urls_public.py.

Licensees are not tenants: they send raw inputs, validated by the same serializers as the tenant API, and get the
same predictors' answers. Nothing is written to a tenant's prediction log; each call is metered in ApiUsage instead.

Interview and offer odds (POST .../predictions/interview): a licensee has no tracked outcomes of its own and never
reads a workspace's, so the answer is the published prior (data/reference/job_search_base_rates) for the input's
channel, per stage transition: applied → interview, interview → offer and applied → offer, each with its 80 %
credible interval and its basis ("published rates"). A global classifier would answer instead only once one is
promoted globally having beaten that prior on held-out outcomes (predictions.interview.model.beats_shrunk_prior);
the workspaces' classifiers never answer here.

Order of checks: key (401/403), input, then rate and quota in one metering round trip (billing/metering.py): rate
429 (every request counts, a batch is one, an invalid one too: it is a 429 past the rate, else the 400 naming the
field, with no call metered), quota 429 (a batch with N valid items needs N calls and is refused whole if they do not
fit), then the answer. A batch is answered per item (predictions.api.views.PredictionView): only the items answered
are metered and billed, so refused items and a batch whose items all fail use no call of the quota. The metering
decision is asked of Redis before the prediction and read after it (the two overlap); a refused request gets its 429
and the prediction is discarded. Calls counted but not answered (a 503 for lack of a model, or an error) are given
back.

With Redis down the calls are metered in PostgreSQL and answered as usual; when Redis took the metering question and
its answer was lost, the request is a 503 with Retry-After (billing/metering.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from billing.api_auth import ApiKeyAuthentication, HasActiveLicence
from billing.api_usage import LICENSEE_API_DESCRIPTION, DegradedModeMixin
from billing.metering import (
    QUOTA,
    Metering,
    QuotaResult,
    meter,
    meter_refund,
)
from predictions import service
from predictions.api.views import (
    BATCH_DESCRIPTION,
    MATCH_TEXT_FIELDS,
    MatchRawInputSerializer,
    PredictionView,
    SalaryView,
    TimeToHireView,
    interview_raw_serializer,
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


class LicenseePredictionView(DegradedModeMixin, PredictionView):
    """A tenant prediction view's validation, with API-key auth, rate, quota and metering instead of plans."""

    authentication_classes: ClassVar[list] = [ApiKeyAuthentication]
    permission_classes: ClassVar[list] = [HasActiveLicence]
    predict: ClassVar[Callable[..., list[dict]]]

    @extend_schema(
        description=format_lazy("{} {}", LICENSEE_API_DESCRIPTION, BATCH_DESCRIPTION),
        responses={200: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        licensee = request.user.licensee
        try:
            validated = self.validated(request.data)
        except exceptions.ValidationError:
            counted = meter(licensee, 0)  # a refused request still counts towards the rate
            if not counted.allowed:
                return _limit_response(counted)
            raise
        items = validated.items
        if not items:  # a batch whose every item is refused: nothing to predict or bill, but the rate counts it
            counted = meter(licensee, 0)
            return _limit_response(counted) if not counted.allowed else Response(validated.body([]))
        # Rate and quota in one Redis round trip, asked now and read after the prediction, which runs meanwhile:
        # nothing is answered before the decision, and a refused request's work is thrown away.
        metering = Metering(licensee, len(items))
        if metering.decided and not metering.result().allowed:
            return _limit_response(metering.result())
        try:
            results = type(self).predict(items, explain=validated.explain)
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
        return Response(validated.body(results), headers=headers)


class LicenseeSalaryView(LicenseePredictionView):
    """Salary range (P10/P50/P90) in USD and the requested or local currency, with reasons and confidence."""

    InputSerializer = SalaryView.InputSerializer
    predict = staticmethod(service.salary_predict_items)


class LicenseeTimeToHireView(LicenseePredictionView):
    """Days from posting to an offer (P10/P50/P90), with reasons and confidence."""

    InputSerializer = TimeToHireView.InputSerializer
    predict = staticmethod(service.time_to_hire_predict_items)


class LicenseeInterviewView(LicenseePredictionView):
    """Interview and offer probability for raw application inputs: the published prior of the input's channel (every
    channel when none is given), with 80 % credible intervals and the basis, per stage transition."""

    InputSerializer = interview_raw_serializer()
    predict = staticmethod(service.interview_predict_items)


def _match_predict(items: list[dict], *, explain: bool) -> list[dict]:
    return service.match_raw_predict(items)


class LicenseeMatchView(LicenseePredictionView):
    """CV-to-posting match (0-100) with its evidence, for raw ``cv_text``, ``posting_title`` and
    ``posting_description``."""

    InputSerializer = MatchRawInputSerializer
    batch_text_fields = MATCH_TEXT_FIELDS
    predict = staticmethod(_match_predict)
