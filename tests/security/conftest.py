"""The owner of tenant A signed in on a premium plan, so every endpoint reads its body (plans are tested in
tests/billing)."""

from __future__ import annotations

import pytest

from tests.billing.grants import cast_premium_grant
from tests.conftest import login


@pytest.fixture
def signed_in(cast, client_a):
    cast_premium_grant(cast)
    login(client_a, cast.owner_email)
    return client_a
