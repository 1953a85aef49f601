from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from analytics.alerts.demo import demo_alert_rules_ensure
from analytics.demo import demo_beta_code_ensure, demo_experiments_ensure
from analytics.demo_activity import demo_activity_ensure, simulated_history_record
from analytics.demo_signups import demo_signups_ensure
from analytics.tasks import demo_predictions_record_task
from billing.catalogue import plans_ensure
from billing.demo import demo_licensee_ensure, demo_plans_grant
from predictions.tasks import champions_ensure
from tenants.demo import DEMO_TENANTS, STAFF_EMAIL, demo_platform_ensure


class Command(BaseCommand):
    help = (
        "Prepares the demo platform: migrates every schema, loads reference data, provisions the public, consumer "
        "and three enterprise tenants (NA, EU, APAC) and their users. Safe to re-run: existing data is kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port printed in the URLs.")
        parser.add_argument("--skip-reference-data", action="store_true")

    def handle(self, *args, port: int, skip_reference_data: bool, **options) -> None:
        call_command("migrate_schemas", interactive=False, verbosity=0)
        self.stdout.write("schemas migrated")
        if not skip_reference_data:
            # Before the demo users: their demo CV is parsed against the keyword data loaded here.
            call_command("load_reference_data")
            call_command("build_keyword_databases")  # the industries' keyword databases; skipped when unchanged
        rows = demo_platform_ensure(stdout=self.stdout)
        exposures = demo_experiments_ensure(schemas=[demo.schema_name for demo in DEMO_TENANTS])
        signups = sum(demo_signups_ensure(schema=demo.schema_name) for demo in DEMO_TENANTS if demo.kind == "consumer")
        if signups:
            self.stdout.write(f"analytics: {signups} simulated past sign-ups added to the consumer site")
        activity = sum(demo_activity_ensure(schema=demo.schema_name, schema_kind=demo.kind) for demo in DEMO_TENANTS)
        if activity:
            self.stdout.write(f"analytics: {activity:,} simulated past page views and served predictions added")
        for demo in DEMO_TENANTS:  # what the dashboards say is simulated
            simulated_history_record(schema=demo.schema_name)
        self.stdout.write(
            "experiments running: "
            + ", ".join(f"{key} ({count} simulated exposures added)" for key, count in exposures.items())
        )
        plans_ensure()
        demo_plans_grant()
        key_file = demo_licensee_ensure()
        beta_code = demo_beta_code_ensure()
        if demo_alert_rules_ensure(staff_email=STAFF_EMAIL):
            self.stdout.write("alert rules added (admin: Analytics › Alert rules; Northbridge: /portal/alerts/)")
        queued = champions_ensure()
        if queued:
            where = "now, inline" if settings.TASKS_RUN_INLINE else "on the training queue (about a minute)"
            self.stdout.write(f"training the {' and '.join(queued)} models {where}")
        # After the trainings on the same queue: the model monitor's demo predictions (analytics/monitoring/demo.py).
        demo_predictions_record_task.delay([demo.schema_name for demo in DEMO_TENANTS])
        self.stdout.write("recording the demo's predictions for the model monitor, after the trainings")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("CVPlus demo is ready:"))
        for host, name, logins in rows:
            self.stdout.write(f"  http://{host}:{port}/  {name}")
            for login in logins:
                self.stdout.write(f"      {login}")
        self.stdout.write(
            f"  http://{settings.BASE_DOMAIN}:{port}/licensee/  API licensee page: sign in with the key in {key_file}"
        )
        self.stdout.write(f"  beta programme: enter the code {beta_code} on a seeker's account page (/accounts/)")
        mode = "inline (no Redis found)" if settings.TASKS_RUN_INLINE else f"queued on {settings.CELERY_BROKER_URL}"
        self.stdout.write(f"  health: http://{settings.BASE_DOMAIN}:{port}/healthz   tasks: {mode}")
