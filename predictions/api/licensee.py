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

A test key (``cvp_test_...``, billing/api_keys.py) is answered the same way but never metered: no call of the quota,
nothing billed. Its requests still count towards the rate, and its batches are limited to `TEST_KEY_MAX_BATCH_ITEMS`
items, so a test key is a way to try the API and not a free one to run on. Its answers carry ``X-CVPlus-Test-Key``.

The OpenAPI document and the docs page of this API: predictions/api/licensee_docs.py; its examples, each executed by
the tests: billing/licensee_api_examples.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from billing import licensee_api_examples as examples
from billing.api_auth import ApiKeyAuthentication, HasActiveLicence
from billing.api_keys import TEST_KEY_MAX_BATCH_ITEMS
from billing.api_usage import LICENSEE_API_DESCRIPTION, DegradedModeMixin, licensee_error_responses
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
    ValidatedRequest,
    interview_raw_serializer,
)

TEST_KEY_HEADER = "X-CVPlus-Test-Key"


def _documented(summary: str, description: str, endpoint_examples: list) -> Callable[[type], type]:
    """The endpoint's own summary, description and examples in the licensee API's document; batches, quotas and
    errors are described once, in its introduction (predictions/api/licensee_docs.py)."""
    return extend_schema_view(post=extend_schema(summary=summary, description=description, examples=endpoint_examples))


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
        responses={200: OpenApiTypes.OBJECT, **licensee_error_responses()},
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
        if request.auth.is_test:
            return self._test_key_answer(validated)
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

    def _test_key_answer(self, validated: ValidatedRequest) -> Response:
        """Answered like a live key's request, counted towards the rate only: no quota, no metered usage, no bill."""
        counted = meter(self.request.user.licensee, 0)
        if not counted.allowed:
            return _limit_response(counted)
        if len(validated.indexes) + len(validated.errors) > TEST_KEY_MAX_BATCH_ITEMS:
            message = _("A test key's batch has at most %(count)s items.") % {"count": TEST_KEY_MAX_BATCH_ITEMS}
            raise exceptions.ValidationError({"items": [message]})
        results = type(self).predict(validated.items, explain=validated.explain) if validated.items else []
        return Response(validated.body(results), headers={TEST_KEY_HEADER: "true"})


@_documented(
    gettext_lazy("Salary range"),
    gettext_lazy(
        "The salary range for a job: P10, P50 (median) and P90 per year, in USD and in the currency asked for "
        "(else the company country's), with the conversion used, the factors that moved it, and low_confidence "
        "with its reasons when the data behind it is thin. Left-out experience_level is read from the title."
    ),
    examples.SALARY_EXAMPLES,
)
class LicenseeSalaryView(LicenseePredictionView):
    """Salary range (P10/P50/P90) in USD and the requested or local currency, with reasons and confidence."""

    InputSerializer = SalaryView.InputSerializer
    predict = staticmethod(service.salary_predict_items)


@_documented(
    gettext_lazy("Time to hire"),
    gettext_lazy(
        "Days from a posting to an offer (P10, P50, P90), what the estimate is measured from and on which data, "
        "and the factors that moved it."
    ),
    examples.TIME_TO_HIRE_EXAMPLES,
)
class LicenseeTimeToHireView(LicenseePredictionView):
    """Days from posting to an offer (P10/P50/P90), with reasons and confidence."""

    InputSerializer = TimeToHireView.InputSerializer
    predict = staticmethod(service.time_to_hire_predict_items)


@_documented(
    gettext_lazy("Interview and offer odds"),
    gettext_lazy(
        "The probability of an interview, of an offer after an interview, and of an offer, each with its credible "
        "interval from the 10th to the 90th percentile. Here they are the published rates for the application's "
        "channel (every channel when none is given), the same for every application sent that way: basis says so. "
        "Every input is optional."
    ),
    examples.INTERVIEW_EXAMPLES,
)
class LicenseeInterviewView(LicenseePredictionView):
    """Interview and offer probability for raw application inputs: the published prior of the input's channel (every
    channel when none is given), with 80 % credible intervals and the basis, per stage transition."""

    InputSerializer = interview_raw_serializer()
    predict = staticmethod(service.interview_predict_items)


def _match_predict(items: list[dict], *, explain: bool) -> list[dict]:
    return service.match_raw_predict(items)


@_documented(
    gettext_lazy("CV-to-posting match"),
    gettext_lazy(
        "How well a CV matches a posting, 0 to 100, with its band and, per part (must-haves, nice-to-haves, title, "
        "experience, other skills), the evidence found in the CV and the changes that would raise the score."
    ),
    examples.MATCH_EXAMPLES,
)
class LicenseeMatchView(LicenseePredictionView):
    """CV-to-posting match (0-100) with its evidence, for raw ``cv_text``, ``posting_title`` and
    ``posting_description``."""

    InputSerializer = MatchRawInputSerializer
    batch_text_fields = MATCH_TEXT_FIELDS
    predict = staticmethod(_match_predict)
