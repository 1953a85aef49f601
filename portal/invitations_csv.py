"""Reading a CSV file of people to invite: columns email, name, role, cohort, coach, language (header names in
English, in any order and case; only email is required). UTF-8 with or without a byte-order mark (as Excel writes
"CSV UTF-8"), or UTF-16; cells separated by commas, semicolons (Excel in German or French) or tabs. Writes nothing:
the rows are checked by ``portal.invitations.invitation_rows_check``."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.invitations import InvitationDraft
from tracking.io.formats import DELIMITERS, normalise

MAX_INVITATION_ROWS = 1_000
MAX_INVITATION_BYTES = 512 * 1024
COLUMNS = ("email", "name", "role", "cohort", "coach", "language")
HEADER_ALIASES = {
    "email": "email",
    "e mail": "email",
    "email address": "email",
    "name": "name",
    "full name": "name",
    "fullname": "name",
    "role": "role",
    "cohort": "cohort",
    "coach": "coach",
    "coach email": "coach",
    "language": "language",
    "lang": "language",
}


class InvitationCsvError(Exception):
    """The file as a whole cannot be read; ``message`` says why, in the administrator's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class InvitationCsv:
    drafts: list[InvitationDraft]
    ignored_columns: list[str]


def invitation_csv_text(data: bytes) -> str:
    """An uploaded file's text, or :class:`InvitationCsvError`."""
    if len(data) > MAX_INVITATION_BYTES:
        raise InvitationCsvError(_("The file is larger than 512 KB. Split it into smaller files."))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"  # with or without the byte-order mark
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InvitationCsvError(
            _("The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and upload it again.")
        ) from None


def invitation_csv_read(text: str) -> InvitationCsv:
    """The rows of a file's text as drafts numbered as a spreadsheet shows them, or :class:`InvitationCsvError`."""
    if len(text) > MAX_INVITATION_BYTES:
        raise InvitationCsvError(_("The file is larger than 512 KB. Split it into smaller files."))
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", text):
        raise InvitationCsvError(_("The file contains binary data, not text. Upload a CSV file."))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise InvitationCsvError(_("The file is empty."))
    delimiter = max(DELIMITERS, key=lambda d: len(next(csv.reader([first_line], delimiter=d))))
    header: list[str | None] = []
    ignored: list[str] = []
    drafts: list[InvitationDraft] = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if not any(cell.strip() for cell in cells):
                continue
            if not header:
                header = [HEADER_ALIASES.get(normalise(cell)) for cell in cells]
                ignored = [cell.strip() for cell, name in zip(cells, header, strict=True) if name is None]
                if "email" not in header:
                    raise InvitationCsvError(
                        _("The first row must name the columns: email, name, role, cohort, coach, language.")
                    )
                continue
            values = {name: cell.strip() for name, cell in zip(header, cells, strict=False) if name is not None}
            drafts.append(
                InvitationDraft(
                    email=values.get("email", ""),
                    full_name=values.get("name", ""),
                    role=values.get("role", ""),
                    cohort=values.get("cohort", ""),
                    coach=values.get("coach", ""),
                    language=values.get("language", ""),
                    line=number,
                )
            )
            if len(drafts) > MAX_INVITATION_ROWS:
                raise InvitationCsvError(
                    _("The file has more than %(max)s people. Split it into smaller files.")
                    % {"max": MAX_INVITATION_ROWS}
                )
    except csv.Error as error:
        raise InvitationCsvError(_("The file is not valid CSV: %(reason)s") % {"reason": error}) from None
    if not drafts:
        raise InvitationCsvError(_("The file has a header row but nobody under it."))
    return InvitationCsv(drafts=drafts, ignored_columns=[name for name in ignored if name])
