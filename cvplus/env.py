"""Typed access to the environment. A bad value stops start-up with a message naming the variable.

Development needs nothing set: the defaults below, plus :mod:`cvplus.runtime` discovering PostgreSQL and Redis,
give a working local site.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_NOTSET = object()


class Env:
    """Reads one variable at a time and rejects values that do not parse, naming the variable."""

    def __init__(self, environ_: dict[str, str] | None = None) -> None:
        self._environ = os.environ if environ_ is None else environ_

    def _raw(self, name: str, default: object) -> str | None:
        value = self._environ.get(name)
        if value is None:
            if default is _NOTSET:
                raise ImproperlyConfigured(f"The environment variable {name} must be set.")
            return None
        return value

    def str(self, name: str, default: object = _NOTSET, *, choices: tuple[str, ...] | None = None) -> str:
        value = self._raw(name, default)
        if value is None:
            return default  # type: ignore[return-value]
        if choices is not None and value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
        return value

    def bool(self, name: str, default: bool | object = _NOTSET) -> bool:
        value = self._raw(name, default)
        if value is None:
            return default  # type: ignore[return-value]
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true/false, 1/0, yes/no or on/off).")

    def int(self, name: str, default: int | object = _NOTSET, *, minimum: int | None = None) -> int:
        value = self._raw(name, default)
        if value is None:
            return default  # type: ignore[return-value]
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
        return number

    def list(self, name: str, default: list[str] | object = _NOTSET) -> list[str]:
        value = self._raw(name, default)
        if value is None:
            return list(default)  # type: ignore[call-overload]
        items = [item.strip() for item in value.split(",")]
        if any(not item for item in items):
            raise ImproperlyConfigured(f"{name}={value!r} has an empty item; separate values with single commas.")
        return items

    def database_url(self, name: str, default: str | None = None) -> dict | None:
        value = self._raw(name, None) or default
        if value is None:
            return None
        scheme = urlsplit(value).scheme
        if scheme not in {"postgres", "postgresql", "pgsql"}:
            raise ImproperlyConfigured(
                f"{name} must be a PostgreSQL URL (postgres://user:password@host:port/name); got scheme {scheme!r}. "
                "CVPlus needs PostgreSQL schemas for its tenants."
            )
        try:
            config = environ.Env.db_url_config(value)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a configuration error
            raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{name} must name a database (…/dbname).")
        config["ENGINE"] = "django_tenants.postgresql_backend"
        return config

    def broker_url(self, name: str, default: str | None = None) -> str | None:
        value = self._raw(name, None) or default
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"redis", "rediss", "amqp", "amqps"} or not parts.hostname:
            raise ImproperlyConfigured(f"{name}={value!r} is not a redis://, rediss:// or amqp:// URL with a host.")
        return value

    def prefixed_secret(self, name: str, prefixes: tuple[str, ...]) -> str:
        """An optional secret that, when set, must start with one of ``prefixes`` (Stripe's key formats)."""
        value = self._raw(name, "")
        if value and not value.startswith(prefixes):
            raise ImproperlyConfigured(f"{name} must start with {' or '.join(prefixes)}.")
        return value or ""


env = Env()
