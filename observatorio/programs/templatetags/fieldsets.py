"""``{% fieldset form _("Legend") "name other_name" %}``: some of a form's fields under a legend.

Each named field is drawn by ``programs/_field.html``, the same as a field included alone.
"""

from django import template

register = template.Library()


@register.inclusion_tag("programs/_fieldset.html")
def fieldset(form, legend, names: str):
    return {"legend": legend, "fields": [form[name] for name in names.split()]}
