"""`manage.py billing_reconcile [--since HOURS]`: apply Stripe events the webhook missed or could not apply.

Run it from cron (hourly is plenty): Stripe keeps events for 30 days, webhook deliveries can be lost to an outage,
and an event that failed because its customer was not known yet is retried here through the same code path.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from billing.stripe_client import BillingNotConfigured

MAX_HOURS = 30 * 24  # Stripe lists events of the last 30 days only


class Command(BaseCommand):
    help = "List recent Stripe events and apply those not applied yet (same path as the webhook)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since", type=int, default=72, metavar="HOURS", help="How far back to list (hours).")

    def handle(self, *args: object, **options: object) -> None:
        from billing.webhooks import webhook_events_reconcile

        since_hours = options["since"]
        if not 1 <= since_hours <= MAX_HOURS:
            raise CommandError(f"--since must be between 1 and {MAX_HOURS} hours, got {since_hours}")
        try:
            summary = webhook_events_reconcile(since_hours=since_hours, progress=self.stdout.write)
        except BillingNotConfigured as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"listed {summary.listed}: applied {summary.applied}, ignored {summary.ignored}, "
            f"failed {summary.failed}, already done {summary.already_done}"
        )
