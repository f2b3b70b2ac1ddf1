"""Assistance listens to the workflow (``programs.signals``).

* A report sent to review (first time or again) and a published report: the suggestion for
  its text then and the objective it carries are recorded (:func:`actions.record`).
* A publication: once the transaction commits, the model is retrained in the background
  (:mod:`.tasks`), once per transaction however many reports it published. Training skips
  itself when the published programs have not changed (their fingerprint).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from observatorio.programs import signals

from . import actions
from .models import SuggestionRecord

logger = logging.getLogger(__name__)


@receiver(signals.transitioned, dispatch_uid="assist-record")
def _record(sender, program, action, **kwargs):
    if action == "submit":
        actions.record(program, SuggestionRecord.Event.SUBMITTED)
    elif action == "publish":
        actions.record(program, SuggestionRecord.Event.PUBLISHED)


def _enqueue_retrain():
    from .tasks import retrain

    try:
        retrain.enqueue()
    except Exception:  # a queue that is down must not undo a publication
        logger.exception("No se pudo encolar el reentrenamiento de las sugerencias.")


@receiver(signals.program_published, dispatch_uid="assist-retrain")
def _retrain_after_publication(sender, program, **kwargs):
    if not getattr(settings, "SUGGESTIONS_RETRAIN_ON_PUBLISH", True):
        return
    connection = transaction.get_connection()
    # Once per transaction: a callback of a rolled-back savepoint is dropped with it.
    if any(entry[1] is _enqueue_retrain for entry in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_retrain)
