"""``notify``: write notices in the site and e-mail them, as each user prefers.

The notices are written in the caller's transaction (they roll back with it); the e-mails
leave only once it commits (``transaction.on_commit``), so nobody is told of a change that
did not happen. A mail server that fails is logged and never undoes the change.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Notification, Preference

logger = logging.getLogger("observatorio.notifications")


def absolute(url: str) -> str:
    """*url* on the site's public address (for e-mails)."""
    return urljoin(getattr(settings, "PUBLIC_URL", "") or "http://127.0.0.1:8000/", url)


def notify(
    users: Iterable, kind: str, title: str, body: str = "", url: str = "", *, email: bool = True
) -> list:
    """Give each of *users* (active ones, once each) a notice; e-mail those who want it.

    With ``email=False`` the notice stays in the site (the caller sends its own message).
    """
    seen, notices = set(), []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        notices.append(
            Notification(user=user, kind=kind, title=title[:300], body=body, url=url[:500])
        )
    if not notices:
        return []
    preferences = {p.user_id: p for p in Preference.objects.filter(user__in=seen)}
    for notice in notices:
        preference = preferences.get(notice.user_id) or Preference(user=notice.user)
        notice.emailed = email and bool(notice.user.email) and preference.wants_email(kind)
    Notification.objects.bulk_create(notices)
    mails = [n for n in notices if n.emailed]
    if mails:
        transaction.on_commit(lambda: _send(mails))
    return notices


def _send(notices: list[Notification]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        messages = [
            EmailMessage(
                subject=f"[Observatorio] {n.title}",
                body=_body(n),
                to=[n.user.email],
            )
            for n in notices
        ]
        try:
            get_connection().send_messages(messages)
        except Exception:  # the change stands; the notices are in the site anyway
            logger.exception("No se pudieron enviar %d avisos por correo.", len(messages))


def _body(notice: Notification) -> str:
    parts = [notice.body] if notice.body else []
    if notice.url:
        parts.append(_("Véalo en: %(url)s") % {"url": absolute(notice.url)})
    parts.append(
        _("Puede elegir qué avisos recibe por correo en %(url)s")
        % {"url": absolute(reverse("notifications:list"))}
    )
    return "\n\n".join(parts) + "\n"
