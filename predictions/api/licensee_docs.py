"""The licensee API's own OpenAPI document (GET /api/v1/licensee/schema/) and its docs page (GET /api/v1/docs/), on the
public host only. The tenant hosts keep their own document and docs (tracking/api_urls.py), which describe the
seeker API with cookie auth; nothing here changes them.

The document holds only the paths under /api/v1/licensee/ and is written for someone who has nothing but a key: how
to send it, every endpoint with its request and response examples (billing/licensee_api_examples.py, each executed by
tests/predictions/api/test_licensee_docs.py), what each coded value means in words, the error format and codes,
quotas, rates and batches, test keys and key rotation. The page is Swagger UI from drf-spectacular-sidecar, served by
CVPlus (no CDN), with its start-up script as a file (the CSP allows no inline script).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.urls import include, path
from django.utils.translation import gettext as _
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from billing.api_keys import ROTATION_GRACE, TEST_KEY_MAX_BATCH_ITEMS
from billing.urls_public import licensee_usage_urlpatterns
from market.industries import industry_choices
from predictions.api import urls_licensee
from predictions.api.licensee import TEST_KEY_HEADER
from predictions.service import MAX_BATCH_ITEMS

LICENSEE_API_PREFIX = "/api/v1/licensee/"

# The API's paths alone, as the public host mounts them (cvplus/urls_public.py), for the schema generator.
LICENSEE_API_URLCONF = [
    path(
        LICENSEE_API_PREFIX.lstrip("/"),
        include((urls_licensee.urlpatterns + licensee_usage_urlpatterns, "licensee-api")),
    )
]


def _enum_words() -> dict[frozenset, dict[str, str]]:
    """Each coded value the API takes, in words, keyed by the enum's set of values (drf-spectacular names an enum
    component after its field, so the values are what identifies it)."""
    words = [
        {"EN": _("entry level"), "MI": _("mid level"), "SE": _("senior"), "EX": _("executive or director")},
        {
            "FT": _("full-time"),
            "PT": _("part-time"),
            "CT": _("fixed-term contract"),
            "FL": _("freelance (self-employed)"),
        },
        {"S": _("small (under 50 people)"), "M": _("medium (50 to 250 people)"), "L": _("large (over 250 people)")},
        {
            "referral": _("referred by someone at the company"),
            "company_site": _("applied on the company's own careers site"),
            "job_board": _("applied through a job board"),
            "recruiter": _("approached by or sent through the company's recruiter"),
            "agency": _("sent by a recruitment agency"),
        },
        {
            "intern": _("intern or trainee"),
            "junior": _("junior or graduate"),
            "mid": _("mid level"),
            "senior": _("senior level"),
            "lead": _("lead, principal or head"),
        },
        {"on_site": _("on site"), "hybrid": _("hybrid (partly remote)"), "remote": _("fully remote")},
        {
            "full_time": _("full-time"),
            "part_time": _("part-time"),
            "contract": _("fixed-term contract"),
            "freelance": _("freelance (self-employed)"),
            "internship": _("internship or traineeship"),
        },
        {code: str(name) for code, name in industry_choices()},
    ]
    return {frozenset(mapping): mapping for mapping in words}


def _field_notes() -> dict[str, str]:
    """Descriptions for the request fields that carry none of their own (the interview inputs come from the model's
    input dataclass, predictions.interview.features.InterviewInput)."""
    return {
        "match_score": _("The CV's match with the posting, 0 to 100 (the match endpoint's score)."),
        "must_have_coverage": _("Share of the posting's must-have requirements the CV meets, 0 to 1."),
        "nice_to_have_coverage": _("Share of the nice-to-have requirements the CV meets, 0 to 1."),
        "title_match": _("How well the CV's titles match the posting's: 1 met, 0.5 partly, 0 not."),
        "experience_gap_years": _("The CV's years of experience minus the years asked (negative: short)."),
        "channel": _("How the application was sent (see the values below)."),
        "applied_weekday": _("The day the application was sent: 0 Monday to 6 Sunday."),
        "days_saved_to_applied": _("Days from finding the posting to applying."),
        "seniority": _("The posting's seniority."),
        "remote": _("Where the work is done."),
        "employment_type": _("The kind of employment (see the values)."),
        "company_size": _("The company's size (see the values)."),
        "industry": _("The industry (see the values)."),
        "cv_text": _("The CV as plain text."),
        "posting_title": _("The posting's job title."),
        "posting_description": _("The posting's full text."),
        "must_have": _("The posting's must-have requirements, when you have them as a list."),
        "nice_to_have": _("The posting's nice-to-have requirements."),
        "title": _("The job title, as written in the posting."),
        "country": _("ISO 3166 two-letter country code, e.g. US."),
        "state": _("Two-letter US state code, e.g. CA."),
        "application_count": _("Applications the posting has received, when known."),
        "remote_ratio": _("Share of the work done remotely, in percent (0 to 100)."),
        "residence_country": _("The employee's country when it differs from the company's."),
        "work_year": _("The year the salary is for; this year when left out."),
    }


def _description() -> str:
    grace_hours = int(ROTATION_GRACE.total_seconds() // 3600)
    sections = [
        _(
            "Predictions for organisations licensed by CVPlus: a salary range, the time to hire, the odds of an "
            "interview and an offer, and how well a CV matches a posting. Every figure comes with its confidence and "
            "its reasons."
        ),
        "## " + _("Authentication"),
        _(
            "Send your API key in every request, as “Authorization: Bearer cvp_live_…” or as “X-API-Key: "
            "cvp_live_…”. Keys are issued by CVPlus; you rotate them and create test keys yourself on the licensee "
            "page (/licensee/), where you also see your usage. A session cookie never authenticates here."
        ),
        _(
            "Rotating a key gives you a new key, shown once. The old key keeps working for %(hours)s hours, so that "
            "you can deploy the new one, and then stops (401 invalid_api_key)."
        )
        % {"hours": grace_hours},
        _(
            "Test keys (cvp_test_…) are answered like live keys but use none of your quota and are never billed. "
            "Their answers carry the header %(header)s: true. Their requests count towards the rate limit, and "
            "their batches hold at most %(items)s items."
        )
        % {"header": TEST_KEY_HEADER, "items": TEST_KEY_MAX_BATCH_ITEMS},
        "## " + _("Requests and batches"),
        _(
            "Every prediction endpoint takes a JSON object (Content-Type: application/json) and answers one "
            'prediction, or takes a batch {"items": [ … ], "explain": false} of up to %(max)s objects and answers '
            '{"items": [ … ], "failed": [ … ]}. A batch is answered per item, not all or nothing: each entry of '
            "items is, in the same order as requested, either that item's answer or "
            '{"index": i, "errors": {"field": ["message"]}}, and failed lists the indexes of the refused items '
            "(empty when every item was answered). A batch whose every item fails is still a 200. Only a problem with "
            "the batch as a whole is a 400: items not a list, empty or too long, an unknown top-level field, or more "
            "text than the batch allows."
        )
        % {"max": f"{MAX_BATCH_ITEMS:,}"},
        _(
            "Coded values (experience levels, employment types, company sizes, channels…) are listed with their "
            "meaning under each field. Text comes back in the language of the Accept-Language header (en, de, fr, "
            "es, ja)."
        ),
        "## " + _("Quotas and rate limits"),
        _(
            "Your plan sets a monthly quota of calls (calendar month, UTC) and a rate of requests per minute. Each "
            "answered item counts as one call: a single request is one call, a batch of 50 answered items is 50 "
            "calls. Refused items and refused requests use no call. A batch is refused whole (429 quota_exceeded) "
            "when its valid items do not all fit in what is left of the month. The rate counts requests, so a "
            "batch is one request, and a request refused for invalid input still counts towards it. When the plan "
            "has a quota, answers carry X-Quota-Limit and X-Quota-Remaining. GET /api/v1/licensee/usage is free and "
            "not rate-limited."
        ),
        "## " + _("Errors"),
        _(
            "Invalid input is a 400 whose body names each invalid field: "
            '{"field": ["message", …]} (an unknown field is refused too, so a typo never goes unnoticed). '
            'Every other error is {"detail": "…", "code": "…"}; branch on code, show detail. 429 and 503 add '
            "retry_after (seconds, also in the Retry-After header), and quota_exceeded adds remaining."
        ),
        "\n".join(
            [
                "| " + _("Status") + " | code | " + _("Meaning") + " |",
                "|---|---|---|",
                "| 400 | " + _("(field names)") + " | " + _("Invalid input; nothing was counted.") + " |",
                "| 401 | not_authenticated | " + _("No API key was sent.") + " |",
                "| 401 | invalid_api_key | "
                + _("Unknown or revoked key, or a rotated key past its grace period.")
                + " |",
                "| 403 | licensee_inactive | " + _("The licence is inactive: contact CVPlus.") + " |",
                "| 404 | not_found | " + _("No such endpoint (check the path: no trailing slash).") + " |",
                "| 405 | method_not_allowed | " + _("Predictions are POST, usage is GET.") + " |",
                "| 429 | rate_exceeded | " + _("Too many requests this minute; retry after retry_after.") + " |",
                "| 429 | quota_exceeded | " + _("The monthly quota is used up, or the batch does not fit.") + " |",
                "| 503 | model_unavailable | " + _("No trained model can answer yet; the call is not counted.") + " |",
                "| 503 | metering_unavailable | " + _("Usage metering failed for a moment; retry.") + " |",
            ]
        ),
        _("Example figures in this document are illustrative: they show the shape of an answer, not a prediction."),
    ]
    return "\n\n".join(sections)


def licensee_paths_only(endpoints: list[tuple]) -> list[tuple]:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(LICENSEE_API_PREFIX)]


def _describe_enum(schema: dict[str, Any], words: dict[frozenset, dict[str, str]]) -> None:
    values = [value for value in schema["enum"] if value not in ("", None)]
    mapping = words.get(frozenset(values))
    if mapping is None:
        return
    schema["description"] = "\n".join(f"* `{value}` - {mapping[value]}" for value in values)


def _batch_or_single(operation: dict[str, Any]) -> None:
    """The request body is one object or a batch of them; JSON only (the form encodings DRF lists are not the API)."""
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json")
    if body is None:
        return
    single = body["schema"]
    batch = {
        "type": "object",
        "title": _("Batch"),
        "required": ["items"],
        "additionalProperties": False,
        "properties": {
            "items": {"type": "array", "items": single, "minItems": 1, "maxItems": MAX_BATCH_ITEMS},
            "explain": {
                "type": "boolean",
                "default": False,
                "description": _("Add each prediction's reasons (slower for large batches)."),
            },
        },
    }
    body["schema"] = {"oneOf": [single, batch]}
    operation["requestBody"]["content"] = {"application/json": body}


def licensee_api_described(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """The document's introduction, batches in the request bodies, enums in words and field descriptions, in the
    request's language."""
    result["info"]["description"] = _description()
    for operations in result.get("paths", {}).values():
        if "post" in operations:
            _batch_or_single(operations["post"])
    words, notes = _enum_words(), _field_notes()
    for schema in result.get("components", {}).get("schemas", {}).values():
        if "enum" in schema:
            _describe_enum(schema, words)
        for name, prop in schema.get("properties", {}).items():
            if "description" not in prop and name in notes:
                prop["description"] = notes[name]
    return result


LICENSEE_SCHEMA_SETTINGS = {
    "TITLE": "CVPlus prediction API for licensees",
    "DESCRIPTION": "",  # written per request, in its language (licensee_api_described)
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": LICENSEE_API_PREFIX.rstrip("/"),
    "PREPROCESSING_HOOKS": ["predictions.api.licensee_docs.licensee_paths_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "predictions.api.licensee_docs.licensee_api_described",
    ],
}


class LicenseeSchemaView(SpectacularAPIView):
    """The licensee API's OpenAPI document (JSON), readable without a key: it documents how to get one in."""

    urlconf = LICENSEE_API_URLCONF
    custom_settings = LICENSEE_SCHEMA_SETTINGS
    renderer_classes: ClassVar[list] = [OpenApiJsonRenderer]
    authentication_classes: ClassVar[list] = []
    permission_classes: ClassVar[list] = [AllowAny]


class LicenseeDocsView(SpectacularSwaggerSplitView):
    """Swagger UI on the licensee document: the endpoints, examples and "Try it out" with the licensee's own key."""

    url_name = "licensee-api:schema"
    title = "CVPlus prediction API for licensees"
    authentication_classes: ClassVar[list] = []
    permission_classes: ClassVar[list] = [AllowAny]
