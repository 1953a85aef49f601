"""CSV import of a seeker's applications (preview, confirm, then a background job). Exports are in
tracking/exports.py.

Modules: formats (limits, header and status words, dates, amounts), reading (the file and each row), importing
(preview), queueing (confirmation and the resend of a stalled job: import it as ``tracking.io.queueing``, it
imports the task module), jobs (the background import). Everything else other code uses is imported from here,
``tracking.io``.

Import contract:
- ``import_preview`` reads an upload and keeps the parsed rows in an ImportJob row ("preview") under
  ``(user, token)`` for ``PREVIEW_TTL_S``, in PostgreSQL, so the preview works while Redis is down: the confirm step
  needs no re-upload and never re-reads a file from disk, and another user's token finds nothing. It writes nothing
  else.
- ``import_confirm`` fixes which rows are imported as which stage and queues the job after commit; of two
  concurrent confirms only one finds the preview still a preview. It writes no application itself, so it answers
  at once whatever the file's size.
- ``queueing.import_job_check`` sends a stalled job again when its page is looked at.
- The job (``jobs.import_job_work``, run by tracking.tasks.import_job_run) imports the planned rows in batches, each
  batch one transaction that also advances the job's cursor, each row through the services (posting_create,
  application_create, application_move), so histories obey the same rules as typed-in ones. Resumed after a killed
  worker it starts after the last committed batch: no row is imported twice, none half-written.
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
    ImportAlreadyConfirmed,
    ImportNotFound,
    ImportPreview,
    import_preview,
    stage_choices_from,
)
from tracking.io.jobs import import_job_get, import_job_work
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
    "ImportAlreadyConfirmed",
    "ImportFileError",
    "ImportNotFound",
    "ImportPreview",
    "Money",
    "amount_text",
    "date_order_detect",
    "date_parse",
    "import_job_get",
    "import_job_work",
    "import_preview",
    "money_parse",
    "normalise",
    "stage_choices_from",
]
