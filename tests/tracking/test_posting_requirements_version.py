"""Postings whose requirement lists an older reader stored: pages, the API and the match show today's reading, and
`manage.py postings_requirements_reread` stores it, tenant by tenant, once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from tests.tracking.factories import ApplicationFactory, JobPostingFactory
from tracking.models import JobPosting
from tracking.requirements import READER_VERSION

pytestmark = pytest.mark.django_db

DESCRIPTION = """Senior Data Analyst, Nordlicht Retail

Requirements:
- 3+ years of SQL and Python
- Experience with Tableau dashboards

Nice to have:
- dbt

What we offer:
- Compensation: $125,000 – $155,000
- Sign-on bonus available
"""
# What the first splitter stored for it: the salary and the bonus read as nice-to-haves, a function word as a must.
OLD_LISTS = {
    "must_have": ["3+ years of SQL and Python", "with"],
    "nice_to_have": ["Compensation: $125,000 – $155,000", "Sign-on bonus available"],
}
CURRENT_LISTS = {
    "must_have": ["3+ years of SQL and Python", "Experience with Tableau dashboards"],
    "nice_to_have": ["dbt"],
}


def old_posting(owner, **fields) -> JobPosting:
    return JobPostingFactory(
        owner=owner, description=DESCRIPTION, requirements=OLD_LISTS, requirements_version="", **fields
    )


def test_it_shows_todays_reading_of_a_posting_an_older_reader_split(owner, owner_client):
    application = ApplicationFactory(owner=owner, posting=old_posting(owner))

    page = owner_client.get(f"/app/applications/{application.pk}/").content.decode()

    assert "<li>Experience with Tableau dashboards</li>" in page
    assert "<li>dbt</li>" in page
    assert "<li>Sign-on bonus available</li>" not in page
    assert "<li>with</li>" not in page
    stored = JobPosting.objects.get(pk=application.posting_id)
    assert (stored.requirements, stored.requirements_version) == (OLD_LISTS, "")  # a page view writes nothing


def test_it_gives_the_api_todays_reading(owner, owner_client):
    posting = old_posting(owner)

    body = owner_client.get(f"/api/v1/postings/{posting.pk}/").json()

    assert body["requirements"] == CURRENT_LISTS


def test_it_keeps_the_lists_todays_reader_stored(owner, owner_client):
    given = {"must_have": ["PostgreSQL"], "nice_to_have": []}
    posting = JobPostingFactory(owner=owner, description=DESCRIPTION, requirements=given)

    assert posting.requirements_version == READER_VERSION
    assert owner_client.get(f"/api/v1/postings/{posting.pk}/").json()["requirements"] == given


def test_it_stores_the_reading_of_a_new_posting_with_its_version(owner, owner_client):
    response = owner_client.post(
        "/api/v1/postings/", {"title": "Data Analyst", "company": "Nordlicht", "description": DESCRIPTION}
    )

    posting = JobPosting.objects.get(pk=response.json()["id"])
    assert (posting.requirements, posting.requirements_version) == (CURRENT_LISTS, READER_VERSION)


def test_the_command_rereads_only_older_lists_in_every_tenant_once(cast, owner):
    old = old_posting(owner)
    current = JobPostingFactory(owner=owner, description=DESCRIPTION, requirements={"must_have": ["R"]})

    first, second = io.StringIO(), io.StringIO()
    call_command("postings_requirements_reread", stdout=first)
    call_command("postings_requirements_reread", stdout=second)

    with schema_context("alpha"):
        old.refresh_from_db()
        current.refresh_from_db()
    assert (old.requirements, old.requirements_version) == (CURRENT_LISTS, READER_VERSION)
    assert current.requirements == {"must_have": ["R"]}
    assert "alpha: 1 postings read again" in first.getvalue()
    assert "0 postings read again" in second.getvalue()
