"""The outcomes page's table rows, written in Python: a table of fourteen groups by eight columns is a thousand cells,
and the template language spent more time resolving each cell's three lookups than the page spent on its figures."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from portal.outcomes_tables import Table

register = template.Library()

NUMERIC = mark_safe(' class="num"')  # noqa: S308 - a constant attribute


@register.simple_tag
def outcome_rows(table: Table) -> SafeString:
    """Each row: the group's name as a row header, then its cells (numbers right-aligned), escaped."""
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (
                first.text,
                format_html_join("", "<td{}>{}</td>", ((NUMERIC if cell.numeric else "", cell.text) for cell in rest)),
            )
            for first, *rest in table.rows
        ),
    )
