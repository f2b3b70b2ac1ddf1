"""Tables: ``{% table_head … %}`` for the column headings, ``{% table rows … %}`` for the rest.

``{% table_head _("Entidad") _("Programas") num="2" %}``: each positional argument is one
column's heading, in order; each keyword names a class and the columns (counted from 1,
separated by spaces) that carry it, e.g. ``num="2 3"`` for right-aligned figures. Every
heading is a ``<th scope="col">``.

``{% table rows empty=_("…") %}…{% endtable %}``: the table when there are rows, its empty
message when there are none (see :func:`do_table`).

``{% column_headings … %}``: the headings alone, for a heading row with other cells too.
"""

from django import template
from django.template.base import token_kwargs
from django.template.loader import get_template

register = template.Library()


def _columns(headings, classes) -> dict:
    by_column: dict[int, list[str]] = {}
    for name, columns in classes.items():
        for number in str(columns).split():
            by_column.setdefault(int(number), []).append(name)
    columns = [(heading, " ".join(by_column.get(n, ()))) for n, heading in enumerate(headings, 1)]
    return {"columns": columns}


@register.inclusion_tag("_table_head.html")
def table_head(*headings, **classes):
    return _columns(headings, classes)


@register.inclusion_tag("_column_headings.html")
def column_headings(*headings, **classes):
    """The same headings without ``<thead><tr>``, for a row that has other cells too."""
    return _columns(headings, classes)


@register.tag("table")
def do_table(parser, token):
    """``{% table rows empty=_("Nothing yet.") %}<caption>…</caption>…{% endtable %}``.

    With rows, the body inside ``<table class="grid">`` (``class=`` says otherwise) in a
    ``<div class="scroll">`` (``scroll=False``: without it; ``region="heading-id"``: a
    focusable region named by that heading); without rows, only the ``empty`` message in a
    ``<p>`` (of class ``empty_class``, if given).
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(
            "{% table %} needs the rows it shows: {% table rows … %}"
        )
    options = token_kwargs(bits[2:], parser)
    unknown = set(options) - TABLE_OPTIONS
    if len(options) != len(bits) - 2 or unknown:
        raise template.TemplateSyntaxError(
            f"{{% table %}} takes rows and then only {sorted(TABLE_OPTIONS)}"
        )
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(parser.compile_filter(bits[1]), options, nodelist)


TABLE_OPTIONS = {"class", "scroll", "region", "empty", "empty_class"}


class TableNode(template.Node):
    def __init__(self, rows, options, nodelist):
        self.rows, self.options, self.nodelist = rows, options, nodelist

    def render(self, context):
        values = {"class": "grid", "scroll": True, "region": "", "empty": "", "empty_class": ""}
        values.update((name, value.resolve(context)) for name, value in self.options.items())
        values["rows"] = bool(self.rows.resolve(context))
        values["body"] = self.nodelist.render(context) if values["rows"] else ""
        return get_template("_table.html").render(values)
