"""`manage.py billing_usage_report`: report licensees' API usage to Stripe as metered usage, each call once.

Run it from cron (hourly or daily): unsent reports are retried with the same identifier, so a failed run loses
nothing and a repeated one sends nothing twice (billing/api_usage_report.py).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from billing.stripe_client import BillingNotConfigured


class Command(BaseCommand):
    help = "Report licensees' unreported API usage to Stripe as billing meter events (each call exactly once)."

    def handle(self, *args: object, **options: object) -> None:
        from billing.api_usage_report import usage_report

        try:
            summary = usage_report(progress=self.stdout.write)
        except BillingNotConfigured as error:
            raise CommandError(
                f"{error} Usage is still metered in the database and will be reported once keys are set."
            ) from None
        self.stdout.write(f"claimed {summary.claimed}, sent {summary.sent}, failed {summary.failed}")
        if summary.failed:
            raise CommandError(f"{summary.failed} report(s) not sent; they will be retried on the next run.")
