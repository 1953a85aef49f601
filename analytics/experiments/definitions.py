"""An experiment's definition: the variants as staff type them, the checks that refuse a malformed or dangerous
change (each naming its field), and the running experiments as each process keeps them.

Running experiments are read once per EXPERIMENTS_CACHE_TTL_S seconds per process (a page asking for a variant costs
no query), and forgotten at once in the process that saves one (the save signal, analytics/apps.py); other processes
see a change within the TTL. Whether an experiment runs *now* (its start and stop times) is decided at each call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from analytics.experiments.assignment import weights_check
from analytics.experiments.metrics import metric_get
from analytics.models import Experiment, Exposure
from analytics.process_cache import ProcessCache

VARIANT_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


def variants_parse(text: str) -> list[list]:
    """ "control 50\\nchallenger 50" -> [["control", 50], ["challenger", 50]]. Raises ValidationError with a message
    that says what is wrong: a malformed line, a repeated name, or weights that are not whole per cents adding up to
    100 (never renormalised)."""
    pairs: list[list] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.replace("%", " ").split()
        if len(parts) != 2 or not VARIANT_NAME.match(parts[0]):
            raise ValidationError(
                _("Line %(line)d: write a name (small letters, digits, - or _) and a weight, e.g. “control 50”.")
                % {"line": number}
            )
        if not parts[1].isdigit():
            raise ValidationError(
                _("Line %(line)d: the weight must be a whole number of per cent, e.g. 50.") % {"line": number}
            )
        pairs.append([parts[0], int(parts[1])])
    if len(pairs) < 2:
        raise ValidationError(_("An experiment needs at least two variants, one a line."))
    names = [name for name, _weight in pairs]
    if len(set(names)) != len(names):
        raise ValidationError(_("Each variant needs its own name."))
    total = sum(weight for _name, weight in pairs)
    if total != 100:
        raise ValidationError(_("The weights add up to %(total)d %%; they must add up to 100 %%.") % {"total": total})
    weights_check([(name, weight) for name, weight in pairs])  # the assignment's own check agrees
    return pairs


def variants_text(variants: list) -> str:
    return "\n".join(f"{name} {weight}" for name, weight in variants)


def metric_check(key: str) -> None:
    if metric_get(key) is None:
        raise ValidationError(_("“%(metric)s” is not a metric CVPlus knows.") % {"metric": key})


def experiment_change_check(*, experiment: Experiment, variants: list, metric: str) -> dict[str, str]:
    """Errors by field for a change that would move people or change what is measured after people were exposed:
    the variants of an experiment that is running or has exposures, and its metric once it has exposures."""
    if experiment.pk is None:
        return {}
    stored = Experiment.objects.filter(pk=experiment.pk).values("status", "variants", "metric").first()
    if stored is None:
        return {}
    exposed = Exposure.objects.filter(experiment_id=experiment.pk).exists()
    errors: dict[str, str] = {}
    if variants != stored["variants"] and (stored["status"] == Experiment.Status.RUNNING or exposed):
        errors["variants"] = _(
            "The variants and weights cannot change once the experiment is running or has exposures: people would "
            "move between variants. Stop it and start a new experiment with a new key."
        )
    if metric != stored["metric"] and exposed:
        errors["metric"] = _(
            "The metric cannot change once people have been exposed: the test so far belongs to it. Start a new "
            "experiment with a new key."
        )
    return errors


@dataclass(frozen=True)
class RunningExperiment:
    """A running experiment as each process keeps it: plain values, no row."""

    id: int
    key: str
    variants: tuple[tuple[str, int], ...]
    population: str
    tenant_ids: frozenset[int]
    starts_at: datetime
    stops_at: datetime | None

    def runs_at(self, now: datetime) -> bool:
        return self.starts_at <= now and (self.stops_at is None or now < self.stops_at)


def _running_load() -> dict[str, RunningExperiment]:
    rows = Experiment.objects.filter(status=Experiment.Status.RUNNING).prefetch_related("tenants")
    return {
        row.key: RunningExperiment(
            id=row.pk,
            key=row.key,
            variants=tuple((str(name), int(weight)) for name, weight in row.variants),
            population=row.population,
            tenant_ids=frozenset(tenant.pk for tenant in row.tenants.all()),
            starts_at=row.starts_at,
            stops_at=row.stops_at,
        )
        for row in rows
    }


_running = ProcessCache(_running_load, ttl_setting="EXPERIMENTS_CACHE_TTL_S")


def experiments_running() -> dict[str, RunningExperiment]:
    """Experiments whose status is running, by key (whether they run now is `RunningExperiment.runs_at`)."""
    return _running.get()


def experiments_cache_clear(**_signal_kwargs: object) -> None:
    """Forgets the running experiments: connected to Experiment's save and delete and its tenants' changes."""
    _running.clear()
