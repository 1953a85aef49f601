"""The plan catalogue tells the truth about exports: every plan has them, so no plan sells them, and a plan row that
still holds the former text is brought up to date unless staff changed it."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from billing.catalogue import plans_ensure
from billing.models import Feature, Plan

pytestmark = pytest.mark.django_db

FORMER = "Unlimited tracking, interview and offer probability, salary ranges with reasons, time to hire, exports."
CURRENT = "Unlimited tracking, interview and offer probability, salary ranges with reasons and time to hire."


def test_it_sells_no_export_feature() -> None:
    assert "exports" not in Feature.values


def test_it_updates_a_plan_still_holding_the_former_text_and_drops_the_retired_feature(cast) -> None:
    plans_ensure()
    with translation.override("fr"):
        former_fr = gettext(FORMER)
    Plan.objects.filter(code="premium-monthly").update(
        description_en=FORMER,
        description_fr=former_fr,
        description_de="Von Hand geändert.",  # staff's own text
        features=["tracking", "interview", "exports"],
    )

    plans_ensure()

    monthly = Plan.objects.get(code="premium-monthly")
    assert monthly.description_en == CURRENT
    with translation.override("fr"):
        assert monthly.description_fr == gettext(CURRENT)
    assert monthly.features == ["tracking", "interview"]
    assert monthly.description_de == "Von Hand geändert."


def test_it_says_on_the_pricing_page_that_every_plan_exports_and_erases(cast, client_a) -> None:
    plans_ensure()
    page = client_a.get("/billing/pricing/").content.decode()
    assert "Every plan, Free included: download all your data" in page
    assert "time to hire, exports" not in page
