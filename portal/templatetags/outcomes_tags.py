"""The outcomes page's table rows, written in Python: a table of fourteen groups by eight columns is a thousand cells,
and the template language spent more time resolving each cell's three lookups than the page spent on its figures."""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from portal.outcomes_tables import Table, words

register = template.Library()

NUMERIC = ' class="num"'


@register.simple_tag
def outcome_rows(table: Table) -> SafeString:
    """Each row: the group's name as a row header, then its cells (numbers right-aligned), escaped."""
    active = words()
    rows = []
    for first, *rest in table.rows:
        cells = "".join(f"<td{NUMERIC if cell.numeric else ''}>{escape(cell.text_in(active))}</td>" for cell in rest)
        rows.append(f'<tr><th scope="row">{escape(first.text_in(active))}</th>{cells}</tr>')
    return mark_safe("".join(rows))  # noqa: S308 - every text above is escaped
