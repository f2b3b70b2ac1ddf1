"""A user's notices: the list, opening one (marks it read), marking all read, preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from . import permissions
from .forms import PreferenceForm
from .models import Notification, Preference

PAGE_SIZE = 30


@login_required
def notification_list(request):
    """The user's notices, newest first, and what they want by e-mail."""
    preference = Preference.of(request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST":
        if form.is_valid():
            preference.user = request.user
            form.save()
            messages.success(request, _("Se guardaron sus preferencias de avisos."))
            return redirect("notifications:list")
        messages.error(request, _("Revise las opciones marcadas."))
    notices = permissions.visible(request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread": notices.unread().count(),
            "form": form,
        },
    )


@login_required
def notification_open(request, pk):
    """Mark a notice read and go where it points (only one's own: another's is a 404)."""
    notice = permissions.visible(request.user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    target = notice.url
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications:list")
    return redirect(target)


@login_required
def notification_read_all(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    count = permissions.visible(request.user).unread().update(read_at=timezone.now())
    messages.success(request, _("Se marcaron %(n)s avisos como leídos.") % {"n": count})
    return redirect("notifications:list")
