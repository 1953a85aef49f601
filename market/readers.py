"""Strict readers for the reference data files: every problem names the file and the line."""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

# Values BLS and others use for "not published".
SUPPRESSED_VALUES = frozenset({"", "-", "*", "**"})


class ReferenceDataError(Exception):
    """A reference data file is missing or malformed. `line` is 1-based (the header is line 1), None for the file."""

    def __init__(self, *, path: Path, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return _("%(file)s: %(problem)s") % {"file": self.path, "problem": self.problem}
        return _("%(file)s, line %(line)d: %(problem)s") % {
            "file": self.path,
            "line": self.line,
            "problem": self.problem,
        }


@dataclass(frozen=True, slots=True)
class Row:
    path: Path
    line: int
    values: dict[str, str]

    def error(self, problem: str) -> ReferenceDataError:
        return ReferenceDataError(path=self.path, line=self.line, problem=problem)

    def text(self, column: str, *, required: bool = True, max_length: int | None = None) -> str:
        value = self.values[column].strip()
        if required and not value:
            raise self.error(_("column %(column)s is empty") % {"column": column})
        if max_length is not None and len(value) > max_length:
            raise self.error(
                _("column %(column)s is longer than %(max_length)d characters")
                % {"column": column, "max_length": max_length}
            )
        return value

    def choice(self, column: str, allowed: Collection[str]) -> str:
        value = self.values[column].strip()
        if value not in allowed:
            raise self.error(
                _("column %(column)s: %(value)r is not one of %(allowed)s")
                % {"column": column, "value": value, "allowed": ", ".join(sorted(allowed))}
            )
        return value

    def flag(self, column: str) -> bool:
        return self.choice(column, ("Y", "N")) == "Y"

    def integer(self, column: str) -> int:
        value = self.values[column].strip()
        try:
            return int(value)
        except ValueError:
            raise self.error(
                _("column %(column)s: %(value)r is not a whole number") % {"column": column, "value": value}
            ) from None

    def optional_integer(self, column: str) -> int | None:
        """None for a suppressed value ("", "-", "*", "**"); callers handle "#" (top-coded) before calling."""
        if self.values[column].strip() in SUPPRESSED_VALUES:
            return None
        return self.integer(column)

    def optional_decimal(self, column: str) -> Decimal | None:
        value = self.values[column].strip()
        if value in SUPPRESSED_VALUES:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.error(
                _("column %(column)s: %(value)r is not a number") % {"column": column, "value": value}
            ) from None
        if not number.is_finite():
            raise self.error(_("column %(column)s: %(value)r is not a number") % {"column": column, "value": value})
        return number


def read_rows(
    path: Path, *, columns: Sequence[str], delimiter: str = ",", quoting: int = csv.QUOTE_MINIMAL
) -> Iterator[Row]:
    """Yield the data rows of a delimited file with a header row.

    Raises ReferenceDataError when the file is missing or empty, when a required column is missing from the header,
    when a row has a different number of fields than the header, or when the CSV quoting is broken. Blank lines are
    skipped. `Row.line` is the line on which the record starts (ESCO records span several lines).
    """
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise ReferenceDataError(path=path, line=None, problem=_("file not found")) from None
    with handle:
        reader = csv.reader(handle, delimiter=delimiter, quoting=quoting, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise ReferenceDataError(path=path, line=1, problem=_("the file is empty"))
            missing = [column for column in columns if column not in header]
            if missing:
                raise ReferenceDataError(
                    path=path, line=1, problem=_("missing column %(columns)s") % {"columns": ", ".join(missing)}
                )
            index = {column: header.index(column) for column in columns}
            previous_end = reader.line_num
            for fields in reader:
                line = previous_end + 1
                previous_end = reader.line_num
                if not fields:
                    continue
                if len(fields) != len(header):
                    raise ReferenceDataError(
                        path=path,
                        line=line,
                        problem=_("expected %(expected)d columns, found %(found)d")
                        % {"expected": len(header), "found": len(fields)},
                    )
                yield Row(path=path, line=line, values={column: fields[i] for column, i in index.items()})
        except csv.Error as error:
            raise ReferenceDataError(path=path, line=reader.line_num, problem=str(error)) from None
        except UnicodeDecodeError:
            raise ReferenceDataError(
                path=path, line=reader.line_num + 1, problem=_("the file is not valid UTF-8")
            ) from None


def read_tab_rows(path: Path, *, columns: Sequence[str]) -> Iterator[Row]:
    """O*NET text files: tab-separated, no quoting (quotes are part of the text)."""
    return read_rows(path, columns=columns, delimiter="\t", quoting=csv.QUOTE_NONE)
