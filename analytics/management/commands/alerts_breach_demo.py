"""Scripts a threshold breach for the demo's alert rules: SIMULATED slow predictions in one tenant's prediction log.

    manage.py alerts_breach_demo                 # 30 predictions of 2.5 s in Northbridge's log, now
    manage.py alerts_breach_demo --evaluate      # and run the three evaluations at once, without waiting for beat
    manage.py alerts_breach_demo --resolve       # delete them again

With beat running (`make run`), "Predictions slow for our members" (Northbridge's /portal/alerts/) and "Predictions slow
(p99)" (admin) fire within about 90 s: three evaluations 30 s apart, each over the last 15 minutes. The rows are marked
with the source "demo (simulated)". A firing resolves on evidence, not on silence: once these rows are deleted (or
15 minutes old), the rules resolve when enough predictions are served fast again (open a few application pages).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_tenants.utils import schema_context

from analytics.alerts.evaluation import FIRED, RESOLVED, alerts_evaluate
from predictions.models import PredictionLog
from tenants.models import Client

BREACH_ROWS = 30
BREACH_LATENCY_MS = 2500
BREACH_HASH = "b" * 64  # how this command finds its own rows again


class Command(BaseCommand):
    help = "Writes SIMULATED slow predictions into a tenant's prediction log so that the latency alert rules fire."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--schema", default="northbridge", help="the tenant whose log gets the slow predictions")
        parser.add_argument("--evaluate", action="store_true", help="run three evaluations now, 30 s apart in time")
        parser.add_argument("--resolve", action="store_true", help="delete the slow predictions this command wrote")

    def handle(self, *args, schema: str, evaluate: bool, resolve: bool, **options) -> None:
        if not Client.objects.filter(schema_name=schema).exclude(schema_name="public").exists():
            raise CommandError(f"No tenant with the schema {schema!r}.")
        with schema_context(schema):
            mine = PredictionLog.objects.filter(input_hash=BREACH_HASH, source=PredictionLog.Source.DEMO)
            if resolve:
                deleted, _by_model = mine.delete()
                self.stdout.write(f"{deleted} simulated slow predictions deleted from {schema}")
            else:
                PredictionLog.objects.bulk_create(
                    PredictionLog(
                        kind=PredictionLog.Kind.SALARY,
                        input_hash=BREACH_HASH,
                        latency_ms=BREACH_LATENCY_MS,
                        source=PredictionLog.Source.DEMO,
                    )
                    for _ in range(BREACH_ROWS)
                )
                self.stdout.write(
                    f"{BREACH_ROWS} simulated predictions of {BREACH_LATENCY_MS} ms written to {schema}'s log"
                )
        if evaluate:
            now = timezone.now()
            fired = resolved = 0
            for step in range(3):
                summary = alerts_evaluate(now=now + timedelta(seconds=30 * step))
                fired, resolved = fired + summary.count(FIRED), resolved + summary.count(RESOLVED)
            self.stdout.write(f"evaluated 3 times: {fired} rule(s) fired, {resolved} resolved")
        else:
            self.stdout.write("beat evaluates every 30 s: the latency rules change state within about 90 s")
