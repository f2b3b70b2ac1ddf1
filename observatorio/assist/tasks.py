"""Retraining in the background after a publication (django-tasks)."""

from __future__ import annotations

from django_tasks import task

from . import training


@task()
def retrain() -> str:
    """Train on the published programs unless the current model already learned them."""
    return training.train_and_store(reason="publicación").message
