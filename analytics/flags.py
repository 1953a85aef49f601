"""Feature flags for gradual roll-out: `flag_active(name, tenant=, user=)` in code, `{% flag_active "name" as on %}`
in templates (analytics/templatetags/feature_flags.py).

A flag is on for a person when it is enabled and any of its rules holds (analytics.FeatureFlag): everyone, the
person's tenant listed, the person ("<schema>:<user id>") listed, the person in the beta cohort when the flag's
`beta_cohort` rule is set (analytics/beta.py), or the person's bucket in the first `percent` per
cent. The bucket is SHA-256 over "flag:<name>" and the person (analytics/experiments/assignment.py): the same on every
device, independent between flags and from experiments, and raising the percentage only adds people. An unknown flag
is off. Each process keeps every flag for FEATURE_FLAGS_CACHE_TTL_S seconds (a page asking costs no query) and forgets
them at once when one is saved in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from analytics.beta import beta_cohort_has
from analytics.experiments.assignment import bucket
from analytics.experiments.exposure import subject_of
from analytics.models import FeatureFlag
from analytics.process_cache import ProcessCache

PERSON = re.compile(r"^([a-z_][a-z0-9_]{0,62}):([1-9][0-9]{0,18})$")


@dataclass(frozen=True)
class FlagRules:
    name: str
    enabled: bool
    everyone: bool
    beta_cohort: bool
    tenant_ids: frozenset[int]
    people: frozenset[str]
    percent: int


def people_parse(text: str) -> list[str]:
    """The people lines of a flag, checked: each "<tenant schema>:<user id>" of a tenant that exists. Raises
    ValidationError naming the first bad line."""
    from tenants.models import Client

    people = [line.strip() for line in text.splitlines() if line.strip()]
    for number, person in enumerate(people, start=1):
        if not PERSON.match(person):
            raise ValidationError(
                _("Line %(line)d: write a person as <tenant schema>:<user id>, e.g. app:42.") % {"line": number}
            )
    schemas = {person.split(":")[0] for person in people}
    known = set(Client.objects.filter(schema_name__in=schemas).values_list("schema_name", flat=True))
    for number, person in enumerate(people, start=1):
        if person.split(":")[0] not in known:
            raise ValidationError(
                _("Line %(line)d: no tenant has the schema “%(schema)s”.")
                % {"line": number, "schema": person.split(":")[0]}
            )
    return people


def _flags_load() -> dict[str, FlagRules]:
    return {
        flag.name: FlagRules(
            name=flag.name,
            enabled=flag.enabled,
            everyone=flag.everyone,
            beta_cohort=flag.beta_cohort,
            tenant_ids=frozenset(tenant.pk for tenant in flag.tenants.all()),
            people=frozenset(line.strip() for line in flag.people.splitlines() if line.strip()),
            percent=flag.percent,
        )
        for flag in FeatureFlag.objects.prefetch_related("tenants")
    }


_flags = ProcessCache(_flags_load, ttl_setting="FEATURE_FLAGS_CACHE_TTL_S")


def flags_cache_clear(**_signal_kwargs: object) -> None:
    """Forgets the flags: connected to FeatureFlag's save and delete and its tenants' changes."""
    _flags.clear()


def flag_active(name: str, *, tenant, user) -> bool:
    """Whether flag `name` is on for `user` of `tenant` (either may be None: a flag for everyone or for the tenant
    still answers; a listed person or a percentage needs a signed-in user)."""
    rules = _flags.get().get(name)
    if rules is None or not rules.enabled:
        return False
    if rules.everyone:
        return True
    if tenant is not None and tenant.pk in rules.tenant_ids:
        return True
    if tenant is None or user is None or not getattr(user, "is_authenticated", False):
        return False
    subject = subject_of(schema=tenant.schema_name, user_id=user.pk)
    if subject in rules.people:
        return True
    if rules.beta_cohort and beta_cohort_has(tenant_id=tenant.pk, user_id=user.pk):
        return True
    return rules.percent > 0 and bucket(f"flag:{name}", subject) * 100 < rules.percent
