"""A long column shows its newest cards and says how many more there are; one click shows them all."""

from __future__ import annotations

import re

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from tests.conftest import login
from tests.tracking.factories import ApplicationFactory
from tracking.models import Stage
from tracking.selectors import CARDS_PER_COLUMN

pytestmark = pytest.mark.django_db


def test_it_caps_a_long_column_and_shows_the_rest_on_request(cast, client_a) -> None:
    with schema_context("alpha"):
        owner = User.objects.get(email=cast.owner_email)
        ApplicationFactory.create_batch(CARDS_PER_COLUMN + 5, owner=owner, stage=Stage.SAVED)
        ApplicationFactory(owner=owner, stage=Stage.APPLIED)
    login(client_a, cast.owner_email)

    page = client_a.get("/app/").content.decode()
    assert len(re.findall(r'class="job-card stage-saved', page)) == CARDS_PER_COLUMN
    assert len(re.findall(r'class="job-card stage-applied', page)) == 1
    assert "Show 5 more" in page
    assert re.search(r'id="col-saved">.*?<span class="count">55</span>', page)

    everything = client_a.get("/app/?show=saved").content.decode()
    assert len(re.findall(r'class="job-card stage-saved', everything)) == CARDS_PER_COLUMN + 5
    assert "Show 5 more" not in everything
