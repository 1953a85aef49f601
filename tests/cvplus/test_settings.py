"""Configuration from the environment: a bad value stops start-up with a message naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cvplus.env import Env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("variables", "method", "args", "message"),
    [
        ({"DEBUG": "maybe"}, "bool", ("DEBUG", False), "DEBUG='maybe' is not a boolean"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "database_url", ("DATABASE_URL",), "DATABASE_URL must be a PostgreSQL"),
        ({"DATABASE_URL": "postgres://u@h:5432/"}, "database_url", ("DATABASE_URL",), "DATABASE_URL must name"),
        ({"REDIS_URL": "localhost:6379"}, "broker_url", ("REDIS_URL",), "REDIS_URL='localhost:6379' is not"),
        ({"ALLOWED_HOSTS": "a.com,,b.com"}, "list", ("ALLOWED_HOSTS", []), "ALLOWED_HOSTS='a.com,,b.com' has an empty"),
        ({"DATABASE_CONN_MAX_AGE": "ten"}, "int", ("DATABASE_CONN_MAX_AGE", 0), "DATABASE_CONN_MAX_AGE='ten' is not"),
        ({}, "str", ("SECRET_KEY",), "The environment variable SECRET_KEY must be set."),
    ],
)
def test_it_rejects_a_bad_value_naming_the_variable(variables, method, args, message) -> None:
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace("?", r"\?")):
        getattr(Env(variables), method)(*args)


def test_it_rejects_a_stripe_key_of_the_wrong_kind() -> None:
    with pytest.raises(ImproperlyConfigured, match="STRIPE_SECRET_KEY must start with sk_ or rk_"):
        Env({"STRIPE_SECRET_KEY": "pk_test_123"}).prefixed_secret("STRIPE_SECRET_KEY", ("sk_", "rk_"))
    assert Env({}).prefixed_secret("STRIPE_SECRET_KEY", ("sk_",)) == ""


def test_it_reads_good_values() -> None:
    env = Env({"DEBUG": "on", "DATABASE_URL": "postgres://app:pw@db.internal:5433/cvplus", "N": "3"})
    assert env.bool("DEBUG") is True
    database = env.database_url("DATABASE_URL")
    assert (database["ENGINE"], database["HOST"], database["PORT"], database["NAME"]) == (
        "django_tenants.postgresql_backend",
        "db.internal",
        5433,
        "cvplus",
    )
    assert env.int("N", minimum=1) == 3


def test_it_stops_start_up_naming_the_bad_variable() -> None:
    environment = os.environ | {"DEBUG": "maybe", "DJANGO_SETTINGS_MODULE": "cvplus.settings.local"}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_it_refuses_production_without_a_real_secret_key() -> None:
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {
        "DJANGO_SETTINGS_MODULE": "cvplus.settings.production",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/cvplus",
        "ALLOWED_HOSTS": "cvplus.example",
    }
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "The environment variable SECRET_KEY must be set." in result.stderr
