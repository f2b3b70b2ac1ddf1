"""Tell people what happened to an indicator's values, as the reports' workflow does.

* values sent to review → the reviewers;
* approved (with the reviewer's comment) or unlocked (with the reason) → whoever entered
  them (the users in their history).

Whoever acted is not told of their own action. The notices are written in Spanish, the
site's language, in the caller's transaction; e-mails leave once it commits.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from observatorio.notifications.models import Kind
from observatorio.notifications.sending import notify
from observatorio.programs.permissions import reviewers

from .models import Indicator, Value, ValueRevision

Action = ValueRevision.Action
TOLD = {
    Action.SUBMITTED: Kind.VALUES_SUBMITTED,
    Action.APPROVED: Kind.VALUES_APPROVED,
    Action.UNLOCKED: Kind.VALUES_UNLOCKED,
}


def entered_by(values: list[Value]):
    """The users who entered, changed, imported or sent *values*."""
    who = ValueRevision.objects.filter(value__in=values, by__isnull=False).values("by")
    return get_user_model().objects.filter(pk__in=who, is_active=True)


def values_moved(
    by, indicator: Indicator, period: int, values: list[Value], action: str, comment: str = ""
) -> None:
    kind = TOLD.get(action)
    if kind is None or not values:
        return
    with translation.override("es-mx"):
        name = f"«{indicator.name_es[:150]}»"
        count = ngettext("%(n)d valor", "%(n)d valores", len(values)) % {"n": len(values)}
        words = {"name": name, "period": period, "count": count}
        if action == Action.SUBMITTED:
            users = reviewers()
            title = _("%(count)s de %(name)s (%(period)s) por revisar") % words
            body = (
                _(
                    "Se enviaron a revisión %(count)s de %(name)s del periodo %(period)s. "
                    "Apruébelos para publicarlos, o comente lo que deba corregirse."
                )
                % words
            )
        elif action == Action.APPROVED:
            users = entered_by(values)
            title = _("Se aprobaron los valores de %(name)s (%(period)s)") % words
            body = (
                _(
                    "Se aprobaron %(count)s de %(name)s del periodo %(period)s: ya se publican, "
                    "con las celdas pequeñas protegidas."
                )
                % words
            )
            if comment:
                body += "\n\n" + _("Comentario: %(comment)s") % {"comment": comment}
        else:
            users = entered_by(values)
            title = _("Se desbloquearon los valores de %(name)s (%(period)s)") % words
            body = _(
                "Se desbloquearon %(count)s de %(name)s del periodo %(period)s; dejan de "
                "publicarse hasta que se aprueben de nuevo. Motivo: %(reason)s"
            ) % {**words, "reason": comment}
    url = (
        reverse("indicator_values:list")
        + "?"
        + urlencode({"indicador": indicator.code, "periodo": period})
    )
    others = [user for user in users if user.pk != getattr(by, "pk", None)]
    notify(others, kind, title, body, url)
