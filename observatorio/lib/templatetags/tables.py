"""``{% table_head _("Entidad") _("Programas") num="2" %}``: a table's row of column headings.

Each positional argument is one column's heading, in order; each keyword names a class and
the columns (counted from 1, separated by spaces) that carry it, e.g. ``num="2 3"`` for
right-aligned figures. Every heading is a ``<th scope="col">``.
"""

from django import template

register = template.Library()


@register.inclusion_tag("_table_head.html")
def table_head(*headings, **classes):
    by_column: dict[int, list[str]] = {}
    for name, columns in classes.items():
        for number in str(columns).split():
            by_column.setdefault(int(number), []).append(name)
    return {"columns": [(heading, " ".join(by_column.get(n, ()))) for n, heading in enumerate(headings, 1)]}
