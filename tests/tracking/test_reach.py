"""How far each application got (tracking/reach.py): set by the moves, and rebuilt from the history for rows written
in bulk, with the same answer either way."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tracking.models import REACH_FIELDS, Application, Stage
from tracking.reach import applications_reach_refresh
from tracking.services import application_create, application_move, posting_create

pytestmark = pytest.mark.django_db


def _application(owner, company: str, start):
    posting = posting_create(owner=owner, title="Data Analyst", company=company, country="ca")
    return application_create(owner=owner, posting=posting, stage=Stage.APPLIED, at=start)


def _reach(application: Application) -> dict:
    application.refresh_from_db()
    return {field: getattr(application, field) for field in REACH_FIELDS}


def _histories(owner) -> dict[str, Application]:
    start = timezone.now() - timedelta(days=40)
    day = timedelta(days=1)
    straight_to_offer = _application(owner, "Shopify", start)
    application_move(
        application=straight_to_offer,
        to_stage=Stage.OFFER,
        by=owner,
        at=start + 9 * day,
        offer_amount=Decimal("81000"),
        offer_currency="CAD",
    )
    two_rounds = _application(owner, "Wealthsimple", start)
    for stage, days in ((Stage.SCREENING, 3), (Stage.INTERVIEWING, 6), (Stage.INTERVIEWING, 13), (Stage.REJECTED, 20)):
        application_move(application=two_rounds, to_stage=stage, by=owner, at=start + days * day)
    ghosted_then_back = _application(owner, "Cohere", start)
    for stage, days in ((Stage.GHOSTED, 21), (Stage.SCREENING, 30)):
        application_move(application=ghosted_then_back, to_stage=stage, by=owner, at=start + days * day)
    waiting = _application(owner, "Telus", start + 35 * day)
    return {
        "start": start,
        "straight_to_offer": straight_to_offer,
        "two_rounds": two_rounds,
        "ghosted_then_back": ghosted_then_back,
        "waiting": waiting,
    }


def test_a_move_sets_when_each_stage_was_first_reached_and_never_moves_it_again(owner) -> None:
    histories = _histories(owner)
    start, day = histories["start"], timedelta(days=1)

    # Straight from applied to an offer: screened and interviewed count as reached on the same day.
    assert _reach(histories["straight_to_offer"]) == {
        "screened_at": start + 9 * day,
        "interviewed_at": start + 9 * day,
        "offered_at": start + 9 * day,
        "accepted_at": None,
    }
    # A second interview round and the rejection leave the first interview where it was.
    assert _reach(histories["two_rounds"]) == {
        "screened_at": start + 3 * day,
        "interviewed_at": start + 6 * day,
        "offered_at": None,
        "accepted_at": None,
    }
    assert _reach(histories["ghosted_then_back"])["screened_at"] == start + 30 * day
    assert set(_reach(histories["waiting"]).values()) == {None}


def test_an_accepted_offer_is_reached_once_accepted(owner) -> None:
    histories = _histories(owner)
    accepted_on = timezone.now() - timedelta(days=1)
    application_move(application=histories["straight_to_offer"], to_stage=Stage.ACCEPTED, by=owner, at=accepted_on)

    assert _reach(histories["straight_to_offer"])["accepted_at"] == accepted_on


def test_rebuilding_from_the_history_gives_what_the_moves_set(owner, member) -> None:
    histories = _histories(owner)
    _histories(member)
    as_moved = {name: _reach(application) for name, application in histories.items() if name != "start"}
    Application.objects.update(**dict.fromkeys(REACH_FIELDS))

    updated = applications_reach_refresh([owner.pk])

    assert updated == len(as_moved)  # the owner's applications only
    assert {name: _reach(histories[name]) for name in as_moved} == as_moved
    assert not Application.objects.exclude(owner=owner).filter(screened_at__isnull=False).exists()
    applications_reach_refresh()
    assert Application.objects.exclude(owner=owner).filter(screened_at__isnull=False).exists()
