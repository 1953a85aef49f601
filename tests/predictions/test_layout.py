"""The layering of predictions/ (docs/architecture.md, "Predictions package layout (issue #12)"), read from the
source with `ast`: every import, at module level or inside a function, counts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

from cvplus.celery import app
from predictions import tasks
from predictions.kinds import KINDS
from predictions.models import ModelVersion

PACKAGE = Path(__file__).resolve().parents[2] / "predictions"
BASE = {"errors", "models", "features", "drift", "reference", "registry", "tuning", "apps"}
MODEL_KINDS = {"salary", "time_to_hire", "interview"}
KIND_PACKAGES = {*MODEL_KINDS, "match"}
ENTRY_POINTS = {"api", "evaluation", "admin", "tasks", "management"}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        if "migrations" not in path.parts:
            found[".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")] = path
    return found


def imported(path: Path) -> set[str]:
    """The predictions modules and packages `path` imports, as their first part below `predictions`."""
    parts = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "predictions" else [f"predictions.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        parts |= {name.split(".")[1] for name in names if name.startswith("predictions.")}
    return parts


def first_part(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


@pytest.mark.parametrize("module", sorted(m for m in modules() if first_part(m) in BASE))
def test_a_base_module_imports_no_kind_and_nothing_above_it(module: str) -> None:
    assert imported(modules()[module]) <= BASE


@pytest.mark.parametrize("module", sorted(m for m in modules() if first_part(m) in KIND_PACKAGES))
def test_a_kind_imports_the_base_and_itself_only(module: str) -> None:
    allowed = BASE | {first_part(module)} | ({"match"} if first_part(module) == "interview" else set())
    assert imported(modules()[module]) <= allowed


def test_no_module_below_the_entry_points_imports_one() -> None:
    upward = {
        module: sorted(imported(path) & ENTRY_POINTS)
        for module, path in modules().items()
        if first_part(module) not in ENTRY_POINTS and imported(path) & ENTRY_POINTS
    }
    assert upward == {}


def test_no_module_imports_a_kind_by_name_or_re_exports_at_its_end() -> None:
    offenders = []
    for module, path in modules().items():
        source = path.read_text(encoding="utf-8")
        if "import_module" in source or "__all__" in source or "noqa: E402" in source:
            offenders.append(module)
    assert offenders == []


def test_the_kinds_table_covers_every_stored_kind_with_its_own_loader() -> None:
    assert set(KINDS) == set(ModelVersion.Kind.values) == MODEL_KINDS
    assert {kind.name: kind.metric for kind in KINDS.values()} == {
        "salary": "mae_usd",
        "time_to_hire": "mae_days",
        "interview": "brier",
    }
    for kind in KINDS.values():
        with pytest.raises(ValueError, match="not"):
            kind.load('{"format": "something-else"}')


def test_the_celery_task_names_that_beat_and_queued_messages_use_are_registered() -> None:
    assert tasks.model_train_task.name == "predictions.tasks.model_train_task"
    assert tasks.tenant_models_refresh.name == "predictions.tasks.tenant_models_refresh"
    dispatched = [entry["args"][0] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry.get("args")]
    assert "predictions.tasks.tenant_models_refresh" in dispatched
    assert {name for name in dispatched if name.startswith("predictions.")} <= set(app.tasks)
