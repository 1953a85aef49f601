"""CSV import of a seeker's applications (preview, then confirm). Exports are in tracking/exports.py.

Modules: formats (limits, header and status words, dates, amounts), reading (the file and each row), importing
(preview and commit). Everything other code uses is imported from here, ``tracking.io``.

Import contract:
- ``import_preview`` reads an upload and writes nothing to the database. It keeps the parsed rows in the cache
  (tenant-prefixed keys, see settings.CACHES) under ``(user, token)`` for ``PREVIEW_TTL_S``: the confirm step needs no
  re-upload and never re-reads a file from disk, and another user's token finds nothing.
- ``import_commit`` imports every row without errors in one transaction, each through the services
  (posting_create, application_create, application_move), so histories obey the same rules as typed-in ones. The
  preview is consumed by deleting its key inside that transaction: the delete is atomic in Redis, so of two
  concurrent confirms only one commits; the other rolls back and imports nothing.
- Any stage the file does not state in our own words is an inference the user confirms (or changes) before import.
"""

from tracking.io.formats import (
    AMOUNT_RE,
    AUTO,
    CHANNEL_ALIASES,
    CURRENCY_SYMBOLS,
    DELIMITERS,
    EXPORT_COLUMNS,
    FIELD_ALIASES,
    FIELD_LABELS,
    ISO_DATE_RE,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    NO_VALUE,
    NUMERIC_DATE_RE,
    PATH_FROM_APPLIED,
    PERIOD_PATTERNS,
    PREVIEW_TTL_S,
    STAGE_ALIASES,
    TEXT_DATE_FORMATS,
    Money,
    amount_text,
    date_order_detect,
    date_parse,
    money_parse,
    normalise,
)
from tracking.io.importing import (
    ImportAlreadyDone,
    ImportNotFound,
    ImportPreview,
    ImportResult,
    import_commit,
    import_preview,
    stage_choices_from,
)
from tracking.io.reading import ImportFileError

__all__ = [
    "AMOUNT_RE",
    "AUTO",
    "CHANNEL_ALIASES",
    "CURRENCY_SYMBOLS",
    "DELIMITERS",
    "EXPORT_COLUMNS",
    "FIELD_ALIASES",
    "FIELD_LABELS",
    "ISO_DATE_RE",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "NO_VALUE",
    "NUMERIC_DATE_RE",
    "PATH_FROM_APPLIED",
    "PERIOD_PATTERNS",
    "PREVIEW_TTL_S",
    "STAGE_ALIASES",
    "TEXT_DATE_FORMATS",
    "ImportAlreadyDone",
    "ImportFileError",
    "ImportNotFound",
    "ImportPreview",
    "ImportResult",
    "Money",
    "amount_text",
    "date_order_detect",
    "date_parse",
    "import_commit",
    "import_preview",
    "money_parse",
    "normalise",
    "stage_choices_from",
]
