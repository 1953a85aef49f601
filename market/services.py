"""Loading the reference data sets from data/reference into the public schema.

Each data set loads in one transaction: rows are upserted on their natural keys, rows no longer in the files are
deleted, and the files' fingerprint is recorded. A data set whose fingerprint is unchanged is skipped unless forced.
A malformed file raises ReferenceDataError (file and line) and the transaction leaves the tables as they were.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from market.catalogue import source_for_dataset
from market.loaders import DATASET_NAMES, DATASETS, LoadCounts
from market.models import ReferenceDataset
from market.readers import ReferenceDataError

__all__ = [
    "DATASET_NAMES",
    "LoadResult",
    "reference_data_load",
    "reference_dataset_fingerprint",
    "reference_dataset_load",
]

# Serialises concurrent loads (two deploys running the command at once).
ADVISORY_LOCK_ID = 7_340_001
_SPECS = {spec.name: spec for spec in DATASETS}


class Writer(Protocol):
    def write(self, text: str) -> object: ...


@dataclass(frozen=True)
class LoadResult:
    name: str
    skipped: bool
    rows_read: int
    rows_written: int
    rows_deleted: int
    elapsed_s: float


def reference_data_dir() -> Path:
    return Path(getattr(settings, "REFERENCE_DATA_DIR", settings.BASE_DIR / "data" / "reference"))


# ---------------------------------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------------------------------


def reference_dataset_fingerprint(*, name: str, base_dir: Path) -> str:
    """SHA-256 over the loader version, the data set's files and, recursively, the data sets it depends on."""
    spec = _SPECS[name]
    digest = hashlib.sha256(f"{spec.name}:{spec.version}\n".encode())
    for relative_path in spec.files:
        path = base_dir / relative_path
        digest.update(f"{relative_path}\n".encode())
        try:
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
        except FileNotFoundError:
            raise ReferenceDataError(path=path, line=None, problem=_("file not found")) from None
    for dependency in spec.depends_on:
        digest.update(reference_dataset_fingerprint(name=dependency, base_dir=base_dir).encode())
    return digest.hexdigest()


def reference_dataset_load(
    *, name: str, base_dir: Path | None = None, force: bool = False, stdout: Writer | None = None
) -> LoadResult:
    """Load one data set in one transaction; skipped (and nothing written) when its fingerprint is unchanged.

    Raises KeyError for an unknown name and ReferenceDataError for a missing or malformed file, in which case the
    data set's tables are left exactly as they were.
    """
    spec = _SPECS[name]
    base_dir = base_dir or reference_data_dir()
    started = time.monotonic()
    fingerprint = reference_dataset_fingerprint(name=name, base_dir=base_dir)
    counts = LoadCounts()
    with transaction.atomic(), translation.override("en"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        previous = ReferenceDataset.objects.filter(name=name).first()
        if previous is not None and previous.fingerprint == fingerprint and not force:
            result = LoadResult(name, True, 0, 0, 0, time.monotonic() - started)
            _report(stdout, _("%(name)s: unchanged, skipped") % {"name": name})
            return result
        _report(stdout, _("%(name)s: loading") % {"name": name})
        spec.loader(base_dir, counts)
        elapsed = time.monotonic() - started
        source = source_for_dataset(name)
        ReferenceDataset.objects.update_or_create(
            name=name,
            defaults={
                "fingerprint": fingerprint,
                "rows_loaded": counts.rows_written,
                "loaded_at": timezone.now(),
                "load_duration_ms": round(elapsed * 1000),
                "source_url": source.url,
                "licence": str(source.licence),
            },
        )
    _report(
        stdout,
        _("%(name)s: %(read)d rows read, %(written)d written, %(deleted)d deleted in %(seconds).1f s")
        % {
            "name": name,
            "read": counts.rows_read,
            "written": counts.rows_written,
            "deleted": counts.rows_deleted,
            "seconds": elapsed,
        },
    )
    return LoadResult(name, False, counts.rows_read, counts.rows_written, counts.rows_deleted, elapsed)


def reference_data_load(
    *,
    names: Sequence[str] | None = None,
    base_dir: Path | None = None,
    force: bool = False,
    stdout: Writer | None = None,
) -> list[LoadResult]:
    """Load the named data sets (all by default) in dependency order, each in its own transaction."""
    unknown = set(names or ()) - set(DATASET_NAMES)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    selected = [name for name in DATASET_NAMES if names is None or name in names]
    return [reference_dataset_load(name=name, base_dir=base_dir, force=force, stdout=stdout) for name in selected]


def _report(stdout: Writer | None, line: str) -> None:
    if stdout is not None:
        stdout.write(line + "\n")
