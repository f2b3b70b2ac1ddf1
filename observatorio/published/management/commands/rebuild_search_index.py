"""Rebuild the search index from every published program and every good practice."""

import time

from django.core.management.base import BaseCommand

from observatorio.published.index import rebuild
from observatorio.published.suggestions import vocabulary


class Command(BaseCommand):
    help = "Reconstruye el índice de búsqueda (programas publicados y buenas prácticas)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = rebuild()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Índice de búsqueda: {count} entradas en {elapsed:.2f} s")
        # The suggestions' vocabulary of this version, made once and shared by the workers.
        vocabulary()
