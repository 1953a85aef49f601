"""The examples of the licensee API's OpenAPI document (predictions/api/licensee_docs.py; the endpoints are in
predictions/api/licensee.py and billing/api_usage.py), as data: every one is executed against the API by
tests/predictions/api/test_licensee_docs.py, so a change of the API that makes one wrong fails there.

A request example and the response example with the same name go together: that request gets that response (status
and shape; figures from the models vary). The error examples (`ERROR_ANSWERS`) are answered by every endpoint. The
answers' figures come from the test suite's models, trained on SIMULATED rows: they show the shape, not a prediction.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

# ---------------------------------------------------------------------------------------------------------------------
# Answers (what the examples' requests were answered with)
# ---------------------------------------------------------------------------------------------------------------------

SALARY_ANSWER = {
    "salary_p10_usd": 63400.0,
    "salary_p50_usd": 83000.0,
    "salary_p90_usd": 120400.0,
    "salary_p10": 57000.0,
    "salary_p50": 74700.0,
    "salary_p90": 108300.0,
    "currency": "EUR",
    "exchange_rate": 0.9,
    "exchange_rate_year": 2023,
    "exchange_rate_source": "survey",
    "exchange_rate_note": "Converted from USD at the 2023 salary survey's rate (1 USD = 0.9000 EUR), not today's rate.",
    "method": "model",
    "bls_wage_basis": None,
    "industry_adjustment": None,
    "model_version_id": 1,
    "model_version": 1,
    "region": "EU",
    "occupation_soc_code": "15-2051",
    "title_match": "exact",
    "low_confidence": True,
    "low_confidence_reasons": [
        {"code": "thin_region_data", "message": "Few salaries from Europe were available to calibrate this range."}
    ],
    "experience_level": "SE",
    "assumptions": [],
    "factors": [
        {"factor": "company_country_category", "label": "company country", "effect_usd": -17100.0},
        {"factor": "company_region", "label": "company region", "effect_usd": -11600.0},
        {"factor": "title_category", "label": "job title", "effect_usd": 8500.0},
    ],
}

SALARY_BATCH_ANSWER = {
    "items": [
        {
            "salary_p10_usd": 100700.0,
            "salary_p50_usd": 129900.0,
            "salary_p90_usd": 161300.0,
            "salary_p10": 100700.0,
            "salary_p50": 129900.0,
            "salary_p90": 161300.0,
            "currency": "USD",
            "exchange_rate": 1.0,
            "exchange_rate_year": None,
            "exchange_rate_source": "identity",
            "exchange_rate_note": None,
            "method": "model",
            "bls_wage_basis": None,
            "industry_adjustment": None,
            "model_version_id": 1,
            "model_version": 1,
            "region": "NA",
            "occupation_soc_code": "15-2051",
            "title_match": "exact",
            "low_confidence": False,
            "low_confidence_reasons": [],
            "experience_level": "MI",
            "assumptions": [
                {
                    "code": "experience_level_assumed",
                    "message": "Priced at mid-level: neither the request nor the job title gives an experience level.",
                }
            ],
            "factors": [
                {"factor": "company_country_category", "label": "company country", "effect_usd": 16700.0},
                {"factor": "experience_level", "label": "experience level", "effect_usd": -9400.0},
                {"factor": "title_category", "label": "job title", "effect_usd": 9700.0},
            ],
        },
        {
            "index": 1,
            "errors": {
                "employment_type": ['"XX" is not a valid choice.'],
                "remote_ratio": ["Ensure this value is less than or equal to 100."],
                "company_country": ["Ensure this field has no more than 2 characters."],
            },
        },
    ],
    "failed": [1],
}

TIME_TO_HIRE_ANSWER = {
    "days_p10": 42,
    "days_p50": 54,
    "days_p90": 70,
    "model_version_id": 2,
    "model_version": 1,
    "scope": "global",
    "source": "US federal hiring data (GSA vacancies, 2004–2010): days from the application deadline to the offer",
    "measured_from": "application_close",
    "occupation_family": None,
    "low_confidence": True,
    "low_confidence_reasons": [
        {
            "code": "unknown_title",
            "message": "This job title could not be matched to an occupation, so the estimate covers all occupations.",
        }
    ],
    "factors": [
        {"factor": "occupation_family", "label": "occupation not given", "effect_days": -8.1},
        {"factor": "state", "label": "US state not given", "effect_days": -5.1},
        {"factor": "posting_open_days", "label": "days the posting is open not given", "effect_days": -0.6},
    ],
}

INTERVIEW_ANSWER = {
    "interview_probability": 0.5932,
    "interview_probability_interval": [0.3554, 0.8173],
    "offer_probability": 0.1285,
    "offer_probability_interval": [0.0262, 0.2641],
    "offer_given_interview_probability": 0.2167,
    "offer_given_interview_probability_interval": [0.0509, 0.4236],
    "interval_level": 0.8,
    "channel": "referral",
    "basis": {
        "published_rates": True,
        "seeker_outcomes": 0,
        "workspace_outcomes": 0,
        "text": "Based on published rates.",
    },
    "offer_given_interview_basis": {
        "published_rates": True,
        "seeker_outcomes": 0,
        "workspace_outcomes": 0,
        "text": "Based on published rates.",
    },
    "method": "shrunk_prior",
    "insufficient_data": False,
    "labelled_outcomes": 0,
    "model_version_id": None,
    "model_version": "shrunk-prior-1",
    "scope": "prior",
    "low_confidence": True,
    "low_confidence_reasons": [
        {
            "code": "published_prior",
            "message": "Published rates refined by tracked outcomes: the same for every "
            "application sent this way, not a reading of this one.",
        }
    ],
    "factors": [],
    "prior_note": None,
}

MATCH_ANSWER = {
    "score": 62,
    "band": "good",
    "reason": None,
    "components": [
        {
            "name": "must_have",
            "label": "Must-have requirements",
            "base_weight": 50,
            "weight": 76.9,
            "points": 38.5,
            "max_points": 76.9,
            "judged": True,
            "note": "Weighted 76.9 instead of 50 because other parts had nothing to judge.",
            "items": [
                {
                    "requirement": "Python",
                    "status": "met",
                    "evidence": "- Built Python models on PostgreSQL",
                    "section": "Experience",
                    "points": 38.5,
                    "max_points": 38.5,
                    "industry_share": None,
                },
                {
                    "requirement": "Terraform",
                    "status": "missing",
                    "evidence": "missing",
                    "section": "",
                    "points": 0.0,
                    "max_points": 38.5,
                    "industry_share": None,
                },
            ],
        },
        {
            "name": "nice_to_have",
            "label": "Nice-to-have requirements",
            "base_weight": 15,
            "weight": 0.0,
            "points": 0.0,
            "max_points": 0.0,
            "judged": False,
            "note": "Nothing to judge here: its 15 points went to the other parts.",
            "items": [],
        },
        {
            "name": "title",
            "label": "Job title",
            "base_weight": 15,
            "weight": 23.1,
            "points": 23.1,
            "max_points": 23.1,
            "judged": True,
            "note": "Weighted 23.1 instead of 15 because other parts had nothing to judge.",
            "items": [
                {
                    "requirement": "Data Scientist",
                    "status": "met",
                    "evidence": "Data scientist",
                    "section": "",
                    "points": 23.1,
                    "max_points": 23.1,
                    "industry_share": None,
                }
            ],
        },
        {
            "name": "experience",
            "label": "Years of experience",
            "base_weight": 10,
            "weight": 0.0,
            "points": 0.0,
            "max_points": 0.0,
            "judged": False,
            "note": "Nothing to judge here: its 10 points went to the other parts.",
            "items": [],
        },
        {
            "name": "keywords",
            "label": "Other skills in the description",
            "base_weight": 10,
            "weight": 0.0,
            "points": 0.0,
            "max_points": 0.0,
            "judged": False,
            "note": "Nothing to judge here: its 10 points went to the other parts.",
            "items": [],
        },
    ],
    "changes": [
        {
            "kind": "gap",
            "message": "The posting asks for: Terraform. Your CV does not show it — a gap to close, do not add "
            "it unless you have the experience.",
            "gain": 38.5,
            "component": "must_have",
            "requirement": "Terraform",
            "skills": [],
        }
    ],
    "scorer_version": "match-3",
    "industry": None,
    "model_version": "match-3",
    "low_confidence": False,
    "low_confidence_reasons": [],
}

USAGE_ANSWER = {
    "licensee": "Acme HR",
    "plan": "api-test-121100cb3633",
    "monthly_quota": 100,
    "remaining": 98,
    "months": [{"period": "2026-12", "calls": 2}],
    "days": [{"day": "2026-12-07", "calls": 2}],
}

# ---------------------------------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------------------------------

SALARY_REQUEST = {
    "title": "Data Scientist",
    "experience_level": "SE",
    "employment_type": "FT",
    "remote_ratio": 0,
    "company_size": "M",
    "company_country": "DE",
}
SALARY_BATCH_REQUEST = {
    "items": [
        {
            "title": "Data Scientist",
            "employment_type": "FT",
            "remote_ratio": 0,
            "company_size": "M",
            "company_country": "US",
        },
        {"title": "Nurse", "employment_type": "XX", "remote_ratio": 150, "company_size": "M", "company_country": "USA"},
    ],
    "explain": True,
}
SALARY_INVALID_REQUEST = {**SALARY_REQUEST, "company_country": "Germany", "remote_ratio": "none"}
SALARY_INVALID_ANSWER = {
    "remote_ratio": ["A valid integer is required."],
    "company_country": ["Ensure this field has no more than 2 characters."],
}
TIME_TO_HIRE_REQUEST = {"title": "Registered Nurse", "country": "US"}
INTERVIEW_REQUEST = {"channel": "referral"}
INTERVIEW_INVALID_REQUEST = {"channel": "pigeon"}
INTERVIEW_INVALID_ANSWER = {"channel": ['"pigeon" is not a valid choice.']}
MATCH_REQUEST = {
    "cv_text": "Data scientist\nExperience\n- Built Python models on PostgreSQL\nSkills\nPython, SQL",
    "posting_title": "Data Scientist",
    "posting_description": "Requirements:\n- Python\n- Terraform",
}

# ---------------------------------------------------------------------------------------------------------------------
# Errors every endpoint answers ({"detail", "code"}, and for a 429 "retry_after" in seconds)
# ---------------------------------------------------------------------------------------------------------------------

MISSING_KEY = "MissingKey"
INVALID_KEY = "InvalidKey"
INACTIVE_LICENCE = "InactiveLicence"
QUOTA_EXCEEDED = "QuotaExceeded"
RATE_LIMITED = "RateLimited"

ERROR_ANSWERS: dict[str, tuple[int, str, dict[str, Any]]] = {
    MISSING_KEY: (
        401,
        "No API key was sent.",
        {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"},
    ),
    INVALID_KEY: (
        401,
        "The key is unknown, revoked, or a rotated key past its grace period.",
        {"detail": "The API key is invalid or has been revoked.", "code": "invalid_api_key"},
    ),
    INACTIVE_LICENCE: (
        403,
        "The key is right but the licence is inactive.",
        {"detail": "This API licence is inactive. Please contact CVPlus.", "code": "licensee_inactive"},
    ),
    QUOTA_EXCEEDED: (
        429,
        "This month's quota is used up, or the batch's valid items do not all fit in what is left.",
        {
            "detail": "The monthly API quota is used up (or this batch does not fit in what is left).",
            "code": "quota_exceeded",
            "retry_after": 2073600,
            "remaining": 0,
        },
    ),
    RATE_LIMITED: (
        429,
        "More requests this minute than the plan's rate allows (a batch is one request).",
        {
            "detail": "Too many requests this minute. Please retry after 42 seconds.",
            "code": "rate_exceeded",
            "retry_after": 42,
        },
    ),
}
USAGE_ERRORS = (MISSING_KEY, INVALID_KEY, INACTIVE_LICENCE)  # a usage call is never limited


def _error_examples(names: tuple[str, ...] = tuple(ERROR_ANSWERS)) -> list[OpenApiExample]:
    return [
        OpenApiExample(name, value=body, summary=summary, response_only=True, status_codes=[str(status)])
        for name, (status, summary, body) in ERROR_ANSWERS.items()
        if name in names
    ]


def _pair(name: str, summary: str, request: dict, status: int, answer: dict) -> list[OpenApiExample]:
    return [
        OpenApiExample(name, value=request, summary=summary, request_only=True),
        OpenApiExample(name, value=answer, summary=summary, response_only=True, status_codes=[str(status)]),
    ]


SALARY_EXAMPLES = [
    *_pair("SalaryOne", "One salary, in the local currency", SALARY_REQUEST, 200, SALARY_ANSWER),
    *_pair("SalaryBatch", "A batch with one invalid item", SALARY_BATCH_REQUEST, 200, SALARY_BATCH_ANSWER),
    *_pair("SalaryInvalid", "A single request with invalid fields", SALARY_INVALID_REQUEST, 400, SALARY_INVALID_ANSWER),
    *_error_examples(),
]
TIME_TO_HIRE_EXAMPLES = [
    *_pair("TimeToHireOne", "Days to an offer", TIME_TO_HIRE_REQUEST, 200, TIME_TO_HIRE_ANSWER),
    *_error_examples(),
]
INTERVIEW_EXAMPLES = [
    *_pair("InterviewOne", "Odds for a referral", INTERVIEW_REQUEST, 200, INTERVIEW_ANSWER),
    *_pair("InterviewInvalid", "An unknown channel", INTERVIEW_INVALID_REQUEST, 400, INTERVIEW_INVALID_ANSWER),
    *_error_examples(),
]
MATCH_EXAMPLES = [
    *_pair("MatchOne", "A CV against a posting", MATCH_REQUEST, 200, MATCH_ANSWER),
    *_error_examples(),
]
USAGE_EXAMPLES = [
    OpenApiExample("Usage", value=USAGE_ANSWER, summary="This month and the last days", response_only=True),
    *_error_examples(USAGE_ERRORS),
]
