"""``observatorio train_suggestions [--force]``: train the objective suggestions."""

from django.core.management.base import BaseCommand

from observatorio.assist import training


class Command(BaseCommand):
    help = (
        "Entrena las sugerencias de objetivo con los programas publicados y guarda el modelo "
        "con la versión de los datos. Si los programas no cambiaron desde el último modelo, "
        "no entrena (--force entrena de todos modos)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Entrenar aunque los programas no hayan cambiado."
        )

    def handle(self, *args, force=False, verbosity=1, **options):
        outcome = training.train_and_store(force=force, reason="comando")
        model = outcome.model
        if model is None:
            self.stdout.write("Sugerencias: no hay programas publicados con qué entrenar.")
            return
        if not outcome.trained:
            self.stdout.write(
                f"Sugerencias: el modelo v{model.pk} ya aprendió los {model.programs} programas "
                "publicados; no se entrenó."
            )
            return
        held = model.metrics.get("held_out", {})
        self.stdout.write(
            f"Sugerencias: modelo v{model.pk} entrenado con {model.programs} programas "
            f"(ciclos {', '.join(map(str, model.cycles))}) en {outcome.seconds:.1f} s; "
            f"versión de los datos {model.data_version}; "
            f"acierto entre las 3 primeras en la muestra reservada: {held.get('top3', 0):.3f} "
            f"({held.get('n', 0)} programas)."
        )
