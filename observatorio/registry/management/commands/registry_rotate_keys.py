"""``observatorio registry_rotate_keys [--commit]``: every sealed value written again with
the key in force (the first of ``OBSERVATORIO_REGISTRY_KEYS``) and every blind index
computed again with ``OBSERVATORIO_REGISTRY_INDEX_KEY``.

Rotation: put the new key first (keep the old one after it), run this with ``--commit``,
then remove the old key. Without ``--commit`` it only counts the values still under an
older key. One transaction; nothing is printed of any value.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from observatorio.registry.rotation import rotate


class Command(BaseCommand):
    help = (
        "Vuelve a cifrar los datos de identidad del registro con la llave vigente y recalcula "
        "los índices ciegos. Sin --commit solo cuenta."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help=_("Escribe los cambios."))

    def handle(self, *args, commit=False, **options):
        result = rotate(commit=commit)
        self.stdout.write(
            _("Llave vigente: %(key)s. Valores con otra llave: %(old)d de %(all)d.")
            % {"key": result.current, "old": result.outdated, "all": result.values}
        )
        if commit:
            self.stdout.write(
                _("Reescritos: %(n)d registros; índices recalculados.") % {"n": result.rows}
            )
        else:
            self.stdout.write(_("Simulación: no se escribió nada (use --commit)."))
