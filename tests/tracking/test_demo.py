"""The consumer site's demo seekers (tracking/demo.py with tracking/demo_seekers.py), written into tenant A of the cast:
varied, plausible searches over months, through the services, written once."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_ensure
from market.industries import INDUSTRY_CODES
from tenants.demo import DEMO_TENANTS
from tests.conftest import PASSWORD
from tests.demo_names import FIXTURE_NAME, JAPANESE
from tracking.demo import demo_seeker_ensure
from tracking.demo_seekers import DEMO_SEEKERS
from tracking.models import Application, CandidateProfile, Contact, CVDocument, JobPosting, Reminder, Stage
from tracking.services import ALLOWED_MOVES

pytestmark = pytest.mark.django_db

CURRENCY = {"US": "USD", "CA": "CAD", "IE": "EUR", "SG": "SGD"}
# What each period's amount may be, in the posting's currency, for the roles the demo seekers apply for.
PLAUSIBLE = {"year": (40_000, 250_000), "month": (3_000, 15_000), "hour": (20, 120)}


def _seekers_write() -> dict[str, User]:
    users = {}
    for seeker in DEMO_SEEKERS.values():
        user, _created = user_ensure(email=seeker.email, password=PASSWORD, full_name=seeker.full_name)
        assert demo_seeker_ensure(user=user) is True
        users[seeker.email] = user
    return users


def _histories() -> dict[str, list[tuple[str, ...]]]:
    histories: dict[str, list[tuple[str, ...]]] = {}
    for application in Application.objects.select_related("owner").prefetch_related("events"):
        path = tuple(event.to_stage for event in application.events.all())
        histories.setdefault(application.owner.email, []).append(path)
    return histories


def test_the_consumer_tenant_logs_in_every_demo_seeker_with_the_readme_logins_first():
    consumer = next(demo for demo in DEMO_TENANTS if demo.kind == "consumer")

    assert [email for email, _name in consumer.users][:2] == ["seeker@example.com", "second.seeker@example.com"]
    assert {email for email, _name in consumer.users} == set(DEMO_SEEKERS)


def test_it_writes_each_seekers_search_once_and_keeps_what_they_did(cast):
    with schema_context("alpha"):
        users = _seekers_write()
        counts = (Application.objects.count(), JobPosting.objects.count(), CVDocument.objects.count())

        assert all(demo_seeker_ensure(user=user) is False for user in users.values())
        assert (Application.objects.count(), JobPosting.objects.count(), CVDocument.objects.count()) == counts
        owner = User.objects.get(email=cast.owner_email)
        assert demo_seeker_ensure(user=owner) is False  # not a demo seeker: nothing written
        assert not Application.objects.filter(owner=owner).exists()


def test_every_history_is_one_the_services_accept_and_ends_before_now(cast):
    now = timezone.now()
    with schema_context("alpha"):
        _seekers_write()
        applications = list(Application.objects.prefetch_related("events"))
        overdue = Reminder.objects.filter(status=Reminder.Status.SCHEDULED, due_at__lt=now - timedelta(days=7))

        assert not overdue.exists()  # no burst of stale follow-ups when the worker starts
    for application in applications:
        events = list(application.events.all())
        assert events[0].to_stage in (Stage.SAVED, Stage.APPLIED)
        assert application.stage == events[-1].to_stage
        for previous, event in zip(events, events[1:], strict=False):
            assert previous.occurred_at < event.occurred_at < now
            assert event.to_stage in ALLOWED_MOVES[previous.to_stage]


def test_the_demo_label_is_said_on_each_posting_but_never_read_as_a_requirement(cast):
    with schema_context("alpha"):
        _seekers_write()
        postings = list(JobPosting.objects.all())

    assert postings
    for posting in postings:
        assert "Demo posting" in posting.description
        assert not any(
            "Demo posting" in line
            for line in [*posting.requirements["must_have"], *posting.requirements["nice_to_have"]]
        )


def test_the_seekers_differ_in_field_country_outcome_and_history(cast):
    now = timezone.now()
    with schema_context("alpha"):
        users = _seekers_write()
        histories = _histories()
        profiles = {profile.user.email: profile for profile in CandidateProfile.objects.select_related("user")}
        postings = list(JobPosting.objects.select_related("owner"))
        stages = {
            email: Counter(Application.objects.filter(owner=user).values_list("stage", flat=True))
            for email, user in users.items()
        }
        moved = {
            email: list(Application.objects.filter(owner=user).values_list("events__occurred_at", flat=True))
            for email, user in users.items()
        }
        joined = dict(
            User.objects.filter(pk__in=[user.pk for user in users.values()]).values_list("email", "date_joined")
        )

    assert len({profiles[email].country for email in users}) >= 4  # North America, Europe and Asia-Pacific
    assert len({posting.industry for posting in postings}) >= 6
    assert {posting.industry for posting in postings} <= set(INDUSTRY_CODES)
    assert len({tuple(sorted(paths)) for paths in histories.values()}) == len(users)  # no two alike
    assert len({path for paths in histories.values() for path in paths}) >= 10
    assert sum(1 for counts in stages.values() if counts[Stage.ACCEPTED]) == 1
    assert sum(1 for counts in stages.values() if counts[Stage.OFFER]) == 1
    assert all(counts[Stage.REJECTED] + counts[Stage.GHOSTED] >= 2 for counts in stages.values())
    for email, times in moved.items():
        assert max(times) - min(times) >= timedelta(days=90), email  # a search over months
        assert joined[email] < min(times)  # signed up before their first move
    assert any(now - max(times) > timedelta(days=30) for times in moved.values())  # someone went quiet
    assert sum(1 for times in moved.values() if now - max(times) < timedelta(days=10)) >= 3


def test_no_name_looks_like_a_fixture_and_no_person_or_employer_repeats(cast):
    with schema_context("alpha"):
        _seekers_write()
        companies = list(JobPosting.objects.values_list("owner__email", "company"))
        contacts = list(Contact.objects.values_list("name", flat=True))

    names = [seeker.full_name for seeker in DEMO_SEEKERS.values()]
    for name in [company for _email, company in companies] + contacts + names:
        assert not FIXTURE_NAME.search(name), name
    assert len(set(names)) == len(names)
    assert len(set(contacts)) == len(contacts)
    assert len({company for _email, company in companies}) >= len(companies) - 3  # a few reapplications at most
    for seeker in DEMO_SEEKERS.values():
        assert not FIXTURE_NAME.search(seeker.cv), seeker.email


def test_salaries_are_in_the_postings_currency_and_a_plausible_amount_for_their_period(cast):
    with schema_context("alpha"):
        _seekers_write()
        postings = list(JobPosting.objects.exclude(salary_min=None))
        offers = list(Application.objects.exclude(offer_amount=None).select_related("posting"))

    assert {posting.salary_period for posting in postings} == {"year", "month", "hour"}
    for posting in postings:
        low, high = PLAUSIBLE[posting.salary_period]
        assert posting.salary_currency == CURRENCY[posting.country], posting.title
        assert low <= posting.salary_min < posting.salary_max <= high, posting.title
    for application in offers:  # an offer is recorded without a period: a yearly amount
        posting = application.posting
        assert application.offer_currency == posting.salary_currency
        yearly = {"year": 1, "month": 12, "hour": 2080}[posting.salary_period]
        assert posting.salary_min * yearly <= application.offer_amount <= posting.salary_max * yearly


def _oews_national(title: str) -> tuple[int, int]:
    """The 10th and 90th percentile yearly wage of an occupation in the US (BLS OEWS May 2025, all industries)."""
    path = settings.BASE_DIR / "data" / "reference" / "bls_oews_2025" / "oews_may2025_national_state_sector.csv"
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["areatype"] == "N" and row["occ_title"] == title:
                return int(row["a_pct10"]), int(row["a_pct90"])
    raise AssertionError(title)


@pytest.mark.parametrize(
    ("email", "occupation"),
    [("second.seeker@example.com", "Registered Nurses"), ("marisol.vega@example.com", "Accountants and Auditors")],
)
def test_us_pay_lies_within_the_reference_wages_of_the_occupation(email, occupation):
    low, high = _oews_national(occupation)
    for application in DEMO_SEEKERS[email].applications:
        if application.salary is None or application.industry == "education":
            continue  # the nurse educator's yearly salary is another occupation's
        minimum, maximum, currency, period = application.salary
        yearly = {"year": 1, "hour": 2080}[period]
        assert currency == "USD"
        assert low <= minimum * yearly < maximum * yearly <= high, application.title


def test_nobody_in_the_whole_demo_shares_a_name_or_a_family_name():
    """One demo, about a hundred named people: two Okafors in two tenants read as one fixture copied."""
    from portal.demo_organisations import DEMO_ORGANISATIONS
    from tenants.demo import STAFF_NAME

    names = [STAFF_NAME]
    for demo in DEMO_TENANTS:
        names += [name for _email, name in demo.users] + ([demo.administrator[1]] if demo.administrator else [])
    for organisation in DEMO_ORGANISATIONS.values():
        names += [person.full_name for person in organisation.people]
        names += [name for _email, name in organisation.coaches] + [organisation.analyst[1]]
    family = [name.split()[0] if JAPANESE.search(name) else name.split()[-1] for name in names]

    assert len(set(names)) == len(names)
    assert [name for name, count in Counter(family).items() if count > 1] == []
