"""Privacy tests run on the cast's tenants; people with one of everything are made per test (tests/privacy/people)."""

from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from tests.conftest import login
from tests.privacy.people import Person, person_with_everything


@pytest.fixture
def person(cast) -> Person:
    """Quentin, in tenant A, with one of everything; the connection stays on tenant A's schema for the test."""
    with schema_context("alpha"):
        yield person_with_everything(
            email="quentin.quokka@example.com", full_name="Quentin Quokkaperson", marker="Quokkamarker"
        )


@pytest.fixture
def person_client(person, client_a):
    login(client_a, person.user.email)
    return client_a
