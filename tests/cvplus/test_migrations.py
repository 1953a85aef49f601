"""Every model change ships with its migration: a branch that forgets one fails here, not on a tenant's schema."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_it_has_a_migration_for_every_model_change() -> None:
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exc:
        pytest.fail(f"makemigrations --check exited {exc.code}: a migration is missing.\n{out.getvalue()}")
