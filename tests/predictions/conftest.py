"""The predictions tests predate billing: their users get premium, so every prediction is theirs to see (the gating
itself is tested in tests/billing/test_gating.py)."""

from __future__ import annotations

import pytest

from tests.billing.grants import cast_premium  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def _premium_for_the_cast(cast_premium) -> None:  # noqa: F811
    pass
