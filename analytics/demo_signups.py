"""The demo consumer site's past sign-ups (called by `manage.py demo_setup` before analytics/demo_activity.py):
SIMULATED job seekers who signed up over the last 26 weeks, so that the staff dashboard's sign-ups, active users and
retention by sign-up week have a history on a fresh machine. They cannot sign in (no usable password), their sign-up
events carry ``"simulated": true``, and their visits come from analytics/demo_activity.py like everyone else's. Nobody
among them paid: the demo has no Stripe payments, so Free → Premium conversion reads 0 % until someone subscribes.

Sign-ups grow slowly week by week (a site that is being found), with quieter weekends. Idempotent per schema: nothing is
written when the schema has any simulated sign-up already.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tracking.models import DomainEvent

WEEKS = 26
FIRST_NAMES = (
    "Aaliyah", "Andre", "Bianca", "Carlos", "Chloe", "Darius", "Elena", "Farah", "Gabriel", "Hannah", "Imani", "Jamal",
    "Jasmine", "Kenji", "Laura", "Luis", "Maya", "Mei", "Nadia", "Noah", "Olivia", "Omar", "Priyanka", "Rafael",
    "Rosa", "Ryan", "Sofia", "Tariq", "Tessa", "Victor", "Wen", "Yusuf", "Zoe", "Ethan", "Grace", "Hector",
)  # fmt: skip
LAST_NAMES = (
    "Abernathy", "Baptiste", "Castillo", "Dubois", "Eriksen", "Fitzgerald", "Goldberg", "Hernandez", "Iyer", "Jensen",
    "Kowalski", "Lindqvist", "Mbeki", "Nakamura", "O'Connell", "Petrov", "Quintero", "Rahman", "Sandoval", "Thompson",
    "Underwood", "Varga", "Whitaker", "Xu", "Yilmaz", "Zimmerman", "Delgado", "Harper", "Mensah", "Sato",
)  # fmt: skip
DOMAINS = ("example.com", "example.net", "example.org")


def _signup_times(rng: random.Random, now: datetime) -> list[datetime]:
    times = []
    for week in range(WEEKS):
        for _ in range(rng.randint(1, 3) + week // 9):
            day = now - timedelta(weeks=WEEKS - 1 - week, days=rng.randrange(7))
            if day.weekday() >= 5 and rng.random() < 0.5:
                day -= timedelta(days=2)  # quieter weekends
            at = day.replace(hour=rng.randrange(7, 23), minute=rng.randrange(60), second=0, microsecond=0)
            times.append(min(at, now - timedelta(hours=1)))
    return sorted(times)


def demo_signups_ensure(*, schema: str, now: datetime | None = None, seed: int = 14) -> int:
    """Creates the schema's simulated past sign-ups once; returns how many."""
    now = now or timezone.now()
    rng = random.Random(f"{seed}:{schema}:signups")  # noqa: S311 - simulated demo people, not a secret
    with schema_context(schema), transaction.atomic():
        if DomainEvent.objects.filter(kind=DomainEvent.Kind.USER_SIGNED_UP, payload__simulated=True).exists():
            return 0
        taken = set(User.objects.values_list("email", flat=True))
        names_taken = set(User.objects.values_list("full_name", flat=True))
        people = []
        for joined in _signup_times(rng, now):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            while f"{first} {last}" in names_taken:  # two strangers with one name reads like a copied fixture
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            names_taken.add(f"{first} {last}")
            email = f"{first}.{last}".lower().replace("'", "") + f"@{rng.choice(DOMAINS)}"
            while email in taken:
                email = email.replace("@", f"{rng.randrange(10)}@", 1)
            taken.add(email)
            person = User(email=email, full_name=f"{first} {last}", date_joined=joined)
            person.set_unusable_password()
            people.append(person)
        User.objects.bulk_create(people)
        DomainEvent.objects.bulk_create(
            DomainEvent(
                kind=DomainEvent.Kind.USER_SIGNED_UP,
                occurred_at=person.date_joined,
                actor_id=person.pk,
                subject_id=person.pk,
                payload={"simulated": True},
            )
            for person in people
        )
    return len(people)
