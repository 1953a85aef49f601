"""The beta programme's limits under real concurrency, on committed rows: people racing for the last uses of a code
get exactly as many enrolments as the code allows, and two tabs answering the NPS question at once record one
answer."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from analytics.beta import beta_people_forget, invitation_redeem
from analytics.feedback import nps_record
from analytics.models import BetaInvitation, BetaMember, NpsResponse

RACERS = 6
CODE = "JOB-FAIR-BERLIN"


def _together(actions) -> list[str]:
    """Runs each action in its own thread, released at once; returns what each said ("ok" or the refusal)."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = []

    def run(action) -> None:
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.fixture
def racers(committed, cast):
    with schema_context("alpha"):
        people = [
            user_create(email=f"racer.{number}@example.com", password="a-long-racing-passphrase", full_name="Racer")
            for number in range(RACERS)
        ]
    yield people
    beta_people_forget(tenant=cast.tenant_a)  # the alpha rows these tests made; no other test commits any
    BetaInvitation.objects.filter(code=CODE).delete()
    with schema_context("alpha"):
        User.objects.filter(pk__in=[person.pk for person in people]).delete()


def test_racing_people_get_no_more_enrolments_than_the_use_limit(cast, racers) -> None:
    BetaInvitation.objects.create(code=CODE, max_uses=2)

    outcomes = _together(
        [
            lambda person=person: invitation_redeem(code=CODE, tenant=cast.tenant_a, user_id=person.pk)
            for person in racers
        ]
    )

    assert outcomes == ["This invitation code has been used up."] * (RACERS - 2) + ["ok", "ok"]
    assert BetaInvitation.objects.get(code=CODE).uses == 2
    assert BetaMember.objects.filter(tenant=cast.tenant_a).count() == 2


def test_two_tabs_answering_at_once_record_one_answer(cast, racers) -> None:
    person = racers[0]

    _together([lambda score=score: nps_record(tenant=cast.tenant_a, user=person, score=score) for score in (3, 9)])

    assert NpsResponse.objects.filter(tenant=cast.tenant_a, user_id=person.pk).count() == 1
