"""A board can show fewer stages (the profile's ``board_stages``, which an organisation's board template sets):
applications in the stages left out are never lost but grouped apart, and the board costs no extra query."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.tracking.factories import ApplicationFactory, candidate_profile_set
from tests.tracking.test_views import _board_queries
from tracking.models import Stage
from tracking.selectors import board_for, board_stages_of

pytestmark = pytest.mark.django_db

SHOWN = [Stage.SAVED, Stage.APPLIED, Stage.INTERVIEWING, Stage.OFFER, Stage.ACCEPTED, Stage.REJECTED]


def test_it_shows_every_stage_without_a_choice(owner) -> None:
    assert board_stages_of(user=owner) == list(Stage.values)
    candidate_profile_set(owner, board_stages=["nonsense"])
    assert board_stages_of(user=owner) == list(Stage.values)


def test_it_shows_the_chosen_stages_and_groups_the_others_apart(owner) -> None:
    candidate_profile_set(owner, board_stages=[Stage.OFFER, Stage.SAVED, Stage.APPLIED, Stage.INTERVIEWING])
    ApplicationFactory(owner=owner, stage=Stage.APPLIED)
    ApplicationFactory.create_batch(2, owner=owner, stage=Stage.SCREENING)
    ApplicationFactory(owner=owner, stage=Stage.GHOSTED)

    board = board_for(user=owner)

    assert [column.stage for column in board.columns] == ["saved", "applied", "interviewing", "offer"]
    assert board.closed == []
    assert [(column.stage, column.count, len(column.applications)) for column in board.other] == [
        ("screening", 2, 2),
        ("ghosted", 1, 1),
    ]
    assert board.total == 4
    everything = board_for(user=owner, stages=list(Stage.values))  # a caller may choose the stages itself
    assert board.other_count == 3
    assert everything.other == []


def test_it_reads_a_board_with_chosen_stages_in_the_same_queries_as_before(owner, owner_client) -> None:
    with schema_context("alpha"):
        candidate_profile_set(owner, board_stages=SHOWN)
        ApplicationFactory(owner=owner, stage=Stage.APPLIED)
        ApplicationFactory(owner=owner, stage=Stage.SCREENING)

    # user (the session comes from the cache), applications with the profile's stages, the nav's unread count.
    assert _board_queries(owner_client) == 4  # and the page view's event (analytics/middleware.py)
    page = owner_client.get("/app/").content.decode()
    columns, other = page.split('class="closed-group other-stages')
    assert 'id="col-screening"' not in columns
    assert 'id="col-screening"' in other
