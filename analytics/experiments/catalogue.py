"""The experiments CVPlus runs in the product, and what their results page adds for each.

- "salary-challenger": champion/challenger online. People in "challenger" get the salary range from the newest
  candidate salary model (predictions/salary/challenger.py); the page says which candidate is available, and which
  model versions actually answered each variant (from the tenants' prediction logs).
- "reminder-wording": the follow-up reminder's wording (tracking/reminders.py), "control" the usual text, "direct" a
  shorter one that names the action; measured on whether the seeker acted on an application within 7 days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from analytics.models import Experiment, Exposure

SALARY_CHALLENGER = "salary-challenger"
CHAMPION, CHALLENGER = "champion", "challenger"
REMINDER_WORDING = "reminder-wording"
CONTROL, DIRECT = "control", "direct"


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    description: str
    variants: list
    metric: str
    population: str


DEFINITIONS = (
    Definition(
        SALARY_CHALLENGER,
        "Salary model: champion against the newest candidate",
        "Half the job seekers get their salary ranges from the newest candidate salary model instead of the "
        "promoted one. Judged on whether they then record an offer within 60 days.",
        [[CHAMPION, 50], [CHALLENGER, 50]],
        "offer-60d",
        Experiment.Population.EVERYONE,
    ),
    Definition(
        REMINDER_WORDING,
        "Follow-up reminder: usual wording against a direct one",
        "The reminder sent when an application has had no answer: the usual text, or a short one that names the "
        "action. Judged on whether the seeker acts on an application within 7 days.",
        [[CONTROL, 50], [DIRECT, 50]],
        "acted-7d",
        Experiment.Population.EVERYONE,
    ),
)


def experiment_ensure(definition: Definition, *, starts_at: datetime) -> Experiment:
    """The experiment of `definition`, created running from `starts_at` if it does not exist (an existing one is
    left as staff made it)."""
    experiment, _created = Experiment.objects.get_or_create(
        key=definition.key,
        defaults={
            "name": definition.name,
            "description": definition.description,
            "variants": definition.variants,
            "metric": definition.metric,
            "population": definition.population,
            "starts_at": starts_at,
            "status": Experiment.Status.RUNNING,
        },
    )
    return experiment


def salary_served_versions(experiment: Experiment) -> dict[str, dict[int | None, int]]:
    """{variant: {salary model version: predictions served}} to the exposed people since their exposure, counted in
    each tenant's prediction log (in its own schema, joined with its own exposures only)."""
    from tenants.models import Client

    quote = connection.ops.quote_name
    table = f"{quote(get_public_schema_name())}.{quote(Exposure._meta.db_table)}"
    sql = (
        "SELECT e.variant, l.model_version, sum(l.batch_size) "  # noqa: S608 - a table name, not input
        f"FROM {table} e JOIN predictions_predictionlog l ON l.user_id = e.user_id "
        "AND l.kind = 'salary' AND l.created_at >= e.exposed_at "
        "WHERE e.experiment_id = %s AND e.tenant_id = %s GROUP BY 1, 2"
    )
    served: dict[str, dict[int | None, int]] = defaultdict(dict)
    tenants = Client.objects.filter(
        pk__in=Exposure.objects.filter(experiment=experiment).values("tenant_id"), is_ready=True
    ).exclude(erased_at__isnull=False)
    for schema, tenant_id in tenants.values_list("schema_name", "pk"):
        with schema_context(schema), connection.cursor() as cursor:
            cursor.execute(sql, [experiment.pk, tenant_id])
            for variant, version, count in cursor.fetchall():
                served[variant][version] = served[variant].get(version, 0) + int(count)
    return dict(served)


def experiment_notes(experiment: Experiment) -> list[str]:
    """What the results page says about a product experiment beyond its figures."""
    if experiment.key != SALARY_CHALLENGER:
        return []
    from predictions.models import ModelVersion
    from predictions.registry import challenger_get
    from predictions.salary.model import SalaryModel

    notes = []
    challenger = challenger_get("salary", load=SalaryModel.artifact_loads)
    champion = ModelVersion.objects.filter(
        kind="salary", scope=ModelVersion.Scope.GLOBAL, status=ModelVersion.Status.CHAMPION
    ).first()
    if challenger is None:
        notes.append(
            _(
                "No challenger is available (no candidate salary model, or the newest one does not load): people in "
                "the challenger variant are served the champion, so the variants cannot differ yet."
            )
        )
    else:
        notes.append(
            _("Challenger now: salary model v%(challenger)s (candidate) against the champion %(champion)s.")
            % {
                "challenger": challenger.version.version,
                "champion": f"v{champion.version}" if champion else _("(none)"),
            }
        )
    for variant, versions in sorted(salary_served_versions(experiment).items()):
        served = ", ".join(
            _("v%(version)s: %(count)s") % {"version": version, "count": count}
            for version, count in sorted(versions.items(), key=lambda item: item[0] or 0)
        )
        notes.append(
            _("Salary ranges served to %(variant)s since exposure, by model version: %(served)s.")
            % {
                "variant": variant,
                "served": served,
            }
        )
    return notes
