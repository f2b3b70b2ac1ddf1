"""What the flags of the good-practice study's panorama figures mean, in words.

The importer (``importers/practices/panorama.py``) marks each figure with codes; the
portal, the indicator values taken from the panoramas and the publications show them
with these labels.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FLAG_LABELS = {
    "footnote_glued": gettext_lazy("Nota al pie pegada a la cifra en el texto"),
    "footnote_inferred": gettext_lazy("Nota al pie deducida al leer la cifra"),
    "ambiguous_number_format": gettext_lazy("Formato de número ambiguo"),
    "irregular_grouping": gettext_lazy("Agrupación irregular de los dígitos"),
    "mixed_separators": gettext_lazy("Separadores de miles y decimales mezclados"),
    "decimal_comma": gettext_lazy("Coma decimal"),
    "space_in_decimal": gettext_lazy("Espacio dentro de la cifra decimal"),
    "percent_sign_missing": gettext_lazy("Falta el signo de porcentaje"),
    "value_missing": gettext_lazy("El documento no imprime el valor"),
    "label_missing": gettext_lazy("El documento no imprime la etiqueta"),
    "approximate": gettext_lazy("Valor aproximado"),
    "unparseable": gettext_lazy("Cifra ilegible"),
    "shares_do_not_add_up": gettext_lazy("Los porcentajes no suman 100 %"),
    "parts_do_not_add_up": gettext_lazy("Las partes no suman el total impreso"),
    "share_inconsistent_with_total": gettext_lazy(
        "El porcentaje no concuerda con los totales impresos"
    ),
    "labels_swapped": gettext_lazy("Etiquetas invertidas entre inmigración y emigración"),
    "wrong_state_in_text": gettext_lazy("El texto nombra otra entidad"),
    "conflicting_values": gettext_lazy("El documento da valores distintos para lo mismo"),
    "value_repeated_from_other_state": gettext_lazy("Valor repetido de otra entidad"),
    "period_differs_from_section": gettext_lazy("El periodo difiere del de la sección"),
}
_IN_FOOTNOTE = re.compile(r"in_footnote_(\d+)")


def flag_label(code: str) -> str:
    """The Spanish explanation of a panorama flag (the code itself when unknown)."""
    match = _IN_FOOTNOTE.fullmatch(code)
    if match:
        return _("Cifra impresa en la nota al pie %(n)s") % {"n": match.group(1)}
    return str(FLAG_LABELS.get(code, code))
