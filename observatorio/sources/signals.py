"""Signals of the provenance layer."""

from django.dispatch import Signal

#: Sent by an importer at the end of a commit, inside its transaction, with ``run`` (the
#: :class:`~observatorio.sources.models.ImportRun` just recorded), ``changed`` (whether any
#: record was created, updated or replaced) and ``using`` (the database alias). The search
#: app gives the data a new version on it (the importers write in bulk, which sends no
#: model signal).
imported = Signal()
