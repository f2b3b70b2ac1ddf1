"""Give the data a new version whenever something the portal shows changes.

Connected in :meth:`observatorio.published.apps.PublishedConfig.ready`. Publications and
withdrawals (the workflow's signals) update the search index itself. Drafts and
reports in review change nothing public, so saving them does not invalidate the
workers' indexes; a program counts when it is published after the save or was
published before it (a withdrawal goes through ``index.update_for``, which bumps
the version too). A committed import that changed anything (``sources.signals.imported``)
gives a new version too: importers write in bulk, which sends no model signal.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save

from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup, Region, State
from observatorio.indicators.models import Indicator
from observatorio.practices.models import GoodPractice
from observatorio.programs.models import Program, ReportingCycle
from observatorio.programs.signals import program_published, program_withdrawn
from observatorio.sources.signals import imported

from . import index, version

_PUBLISHED = "publicado"


def _program_changed(sender, instance, raw=False, using="default", **kwargs):
    if instance.status == _PUBLISHED or getattr(instance, "_search_was_published", False):
        version.bump(using)


def _program_loaded(sender, instance, **kwargs):
    # Remember whether the row was published when read, so that saving it unpublished
    # (an edit in the admin) still invalidates what the portal shows.
    instance._search_was_published = instance.__dict__.get("status") == _PUBLISHED


def _anything_changed(sender, instance=None, using="default", **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        version.bump(using)


def _program_relation_changed(sender, instance, action, reverse, using="default", **kwargs):
    if not action.startswith("post_"):
        return
    if reverse or instance.status == _PUBLISHED:
        version.bump(using)


def _imported(sender, changed, using="default", **kwargs):
    if changed:
        version.bump(using)


def _program_moved(sender, program, **kwargs):
    # Publishing and withdrawing change what is searchable, in the same transaction.
    index.update_for(program)


def connect() -> None:
    """Connect the receivers (called once, from ``SearchConfig.ready``)."""
    uid = "observatorio.published.version"
    program_published.connect(_program_moved, dispatch_uid=f"{uid}.program.published")
    program_withdrawn.connect(_program_moved, dispatch_uid=f"{uid}.program.withdrawn")
    imported.connect(_imported, dispatch_uid=f"{uid}.imported")
    post_init.connect(_program_loaded, sender=Program, dispatch_uid=f"{uid}.program.init")
    post_save.connect(_program_changed, sender=Program, dispatch_uid=f"{uid}.program.save")
    post_delete.connect(_program_changed, sender=Program, dispatch_uid=f"{uid}.program.delete")
    for field in ("institutions", "populations"):
        m2m_changed.connect(
            _program_relation_changed,
            sender=getattr(Program, field).through,
            dispatch_uid=f"{uid}.program.{field}",
        )
    # The indicator pages keep definitions by the version (their values, by their own
    # fingerprint: see observatorio.indicators.published).
    m2m_changed.connect(
        _anything_changed,
        sender=Indicator.objectives.through,
        dispatch_uid=f"{uid}.indicator.objectives",
    )
    for model in (
        GoodPractice,
        State,
        Region,
        GcmObjective,
        Institution,
        PopulationGroup,
        Indicator,
    ):
        name = model._meta.label_lower
        post_save.connect(_anything_changed, sender=model, dispatch_uid=f"{uid}.{name}.save")
        post_delete.connect(_anything_changed, sender=model, dispatch_uid=f"{uid}.{name}.delete")
    post_save.connect(_anything_changed, sender=ReportingCycle, dispatch_uid=f"{uid}.cycle.save")
    post_delete.connect(
        _anything_changed, sender=ReportingCycle, dispatch_uid=f"{uid}.cycle.delete"
    )
    m2m_changed.connect(
        _anything_changed, sender=Region.members.through, dispatch_uid=f"{uid}.region.members"
    )
