"""What of the registry is public: the centres, their active services and the needs they
serve, read the same way by the pages (``public_views.py``) and the API
(``observatorio/api/registry.py``). Nothing here reads a person, a contact or a referral.
"""

from __future__ import annotations

import re

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from observatorio.catalog.models import Institution

from .models import Centre, Need, Service

#: The status colour (the site's ``.status-*`` classes) each phase is shown with.
PHASE_STYLE = {
    Centre.Phase.OPERATING: "done",
    Centre.Phase.STRENGTHENING: "in_progress",
    Centre.Phase.SHELTER: "pending",
    Centre.Phase.PLANNED: "planned",
}
#: A centre's or service's lines in its document: «112» or «112-118».
_LINES = re.compile(r"^\s*(\d{1,7})\s*(?:[-–]\s*(\d{1,7}))?\s*$")


def centres() -> QuerySet[Centre]:
    """Every centre with what is shown of it: state, operator, document, institutions
    present (by acronym) and its active services (``active_services``, by need)."""
    return (
        Centre.objects.select_related("state", "operator", "source")
        .prefetch_related(
            Prefetch("institutions", Institution.objects.order_by("acronym")),
            Prefetch(
                "services",
                Service.objects.filter(active=True)
                .select_related("need", "institution")
                .order_by("need__order", "need__code", "name"),
                to_attr="active_services",
            ),
        )
        .order_by("state__inegi_code", "name", "code")
    )


def offering(queryset: QuerySet[Centre], need: Need) -> QuerySet[Centre]:
    """The centres of *queryset* with an active service for *need*."""
    return queryset.filter(
        pk__in=Service.objects.filter(need=need, active=True).values("centre_id")
    )


def served_needs() -> QuerySet[Need]:
    """The needs some active service attends, in the catalogue's order."""
    return Need.objects.filter(
        pk__in=Service.objects.filter(active=True).values("need_id")
    ).order_by("order", "code")


def needs_of(centre: Centre) -> list[Need]:
    """The needs *centre*'s active services attend (from ``active_services``), in order."""
    return list({s.need_id: s.need for s in centre.active_services}.values())


def services_by_need(centre: Centre) -> list[tuple[Need, list[Service]]]:
    """*centre*'s active services grouped by the need they attend."""
    groups: dict[int, tuple[Need, list[Service]]] = {}
    for service in centre.active_services:
        groups.setdefault(service.need_id, (service.need, []))[1].append(service)
    return list(groups.values())


def lines(text: str) -> list[int]:
    """A document's lines as ``[first, last]`` («118» is ``[118, 118]``); ``[]`` if none."""
    found = _LINES.match(text or "")
    if found is None:
        return []
    first = int(found.group(1))
    return [first, int(found.group(2) or first)]


def lines_label(text: str) -> str:
    """«línea 118», «líneas 112–118», or the text as written when it is neither."""
    found = lines(text)
    if not found:
        return (text or "").strip()
    first, last = found
    if first == last:
        return _("línea %(n)s") % {"n": first}
    return _("líneas %(lines)s") % {"lines": f"{first}–{last}"}
