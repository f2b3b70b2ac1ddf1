"""Public pages of the open-data releases (the list, one release, its stored files), and
/publicaciones/: every generated document to download without an account, and the form that
generates one in the background for those the policy lets (``permissions.py``)."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from observatorio.catalog.models import State
from observatorio.lib.access import public
from observatorio.programs.models import ReportingCycle

from . import bundle, permissions, shelf
from .models import GeneratedDocument, Release, ReleaseFile
from .renderers import get_format
from .tasks import request_document

#: A release file never changes: caches may keep it for a year.
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"


@public
def release_list(request):
    """Every release, newest first, with the summary of its changelog."""
    archives = ReleaseFile.objects.filter(release=OuterRef("pk"), name=bundle.ZIP)
    releases = (
        Release.objects.select_related("created_by")
        .annotate(has_archive=Exists(archives))
        .order_by("-number")
    )
    return render(
        request, "publications/releases.html", {"releases": releases, "archive_name": bundle.ZIP}
    )


@public
def release_detail(request, number: int):
    release = get_object_or_404(Release, number=number)
    files = list(release.files.defer("content").order_by("name"))
    documents = [
        s for s in shelf.shelves(request.user) if s.cycle.edition in (release.cycles or [])
    ]
    return render(
        request,
        "publications/release.html",
        {
            "release": release,
            "files": files,
            "archive": next((f for f in files if f.name == bundle.ZIP), None),
            "checksums": next((f for f in files if f.name == bundle.CHECKSUMS), None),
            "changes": release.changelog,
            "shelves": documents,
        },
    )


def _matches(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


@public
def release_file(request, number: int, name: str):
    """The stored bytes of one file, with its SHA-256 as ETag."""
    found = (
        ReleaseFile.objects.filter(release__number=number, name=name)
        .values("sha256", "media_type")
        .first()
    )
    if found is None:
        raise Http404(_("Ese archivo no está en esa versión."))
    etag = f'"{found["sha256"]}"'
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponseNotModified()
    else:
        content = ReleaseFile.objects.values_list("content", flat=True).get(
            release__number=number, name=name
        )
        media_type = found["media_type"]
        if media_type.startswith(("text/", "application/json")):
            media_type += "; charset=utf-8"
        response = HttpResponse(bytes(content), content_type=media_type)
        response["Content-Disposition"] = content_disposition_header(
            True, f"observatorio-v{number}-{name}"
        )
    response["ETag"] = etag
    response["Cache-Control"] = IMMUTABLE_CACHE
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- documents generated in the background (/publicaciones/) --------------------------


class DocumentRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_lazy("Documento"), choices=GeneratedDocument.Kind.choices)
    cycle = forms.ModelChoiceField(
        label=_lazy("Ciclo"), queryset=ReportingCycle.objects.order_by("-edition")
    )
    state = forms.ModelChoiceField(
        label=_lazy("Entidad federativa (solo para la ficha estatal)"),
        queryset=State.objects.order_by("name"),
        required=False,
    )
    format = forms.ChoiceField(label=_lazy("Formato"), choices=GeneratedDocument.Format.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # An enlace only generates the factsheet of their own state.
        kinds = permissions.requestable_kinds(user)
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] in kinds]
        self.fields["state"].queryset = permissions.factsheet_states(
            user, State.objects.order_by("name")
        )

    def clean(self):
        data = super().clean()
        if data.get("kind") == GeneratedDocument.Kind.FACTSHEET and not data.get("state"):
            self.add_error("state", _("Elija la entidad federativa de la ficha."))
        if data.get("kind") == GeneratedDocument.Kind.COMPENDIUM:
            data["state"] = None
        return data


def _deny(decision) -> None:
    raise PermissionDenied(decision.reason)


@public
@require_http_methods(["GET", "POST"])
def document_request(request):
    """Every generated document, to download without an account; for those who may generate
    one, the form and their recent requests. Anybody else's POST is refused (403)."""
    may_request = permissions.can(request.user, "request_any")
    if request.method == "POST" and not may_request:
        _deny(may_request)
    form = DocumentRequestForm(request.POST or None, user=request.user) if may_request else None
    if request.method == "POST":
        # Validate the policy on the raw choice first, so a state outside the user's scope
        # is refused (403) rather than merely reported as an invalid choice.
        raw = request.POST.get("state", "")
        pk = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
        state = State.objects.filter(pk=pk).first() if pk else None
        kind = request.POST.get("kind")
        if kind in GeneratedDocument.Kind.values:
            probe = GeneratedDocument(
                kind=kind, state=state if kind == GeneratedDocument.Kind.FACTSHEET else None
            )
            decision = permissions.can(request.user, "request", probe)
            if not decision:
                _deny(decision)
        if form.is_valid():
            data = form.cleaned_data
            document, _new = request_document(
                kind=data["kind"],
                cycle=data["cycle"],
                state=data["state"],
                fmt=data["format"],
                user=request.user,
            )
            return redirect("documents:status", pk=document.pk)
    mine = []
    if may_request:
        mine = (
            GeneratedDocument.objects.filter(requested_by=request.user)
            .select_related("cycle", "state")
            .defer("content")[:20]
        )
    return render(
        request,
        "publications/document_request.html",
        {"form": form, "mine": mine, "shelves": shelf.shelves(request.user)},
    )


def _document(pk: int) -> GeneratedDocument:
    return get_object_or_404(
        GeneratedDocument.objects.select_related("cycle", "state").defer("content"), pk=pk
    )


def _refuse(request, decision):
    """An anonymous visitor signs in (a document still being generated is not public yet);
    anybody else gets 403 with the policy's reason."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _deny(decision)


def _for_document(action: str):
    """Decorate a view of one document (by ``pk``): it gets the document when the policy
    allows *action* on it to the user; otherwise ``_refuse`` answers."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, pk: int):
            document = _document(pk)
            decision = permissions.can(request.user, action, document)
            if not decision:
                return _refuse(request, decision)
            return view(request, document)

        return wrapped

    return decorate


@login_required
@_for_document("view")
def document_status(request, document: GeneratedDocument):
    """Progress of one document; refreshes itself (no JavaScript) until it is done or failed."""
    response = render(request, "publications/document_status.html", {"document": document})
    if document.in_progress:
        # The page also has <meta http-equiv="refresh"> in its <head>; the header is the same
        # instruction for clients that read headers only.
        response["Refresh"] = "2"
    return response


@public
@_for_document("download")
def document_download(request, document: GeneratedDocument):
    """The stored bytes of a done document (public), with its SHA-256 as ETag."""
    if document.status != GeneratedDocument.Status.DONE:
        raise Http404(_("El documento todavía no está listo."))
    etag = f'"{document.sha256}"'
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponseNotModified()
    else:
        content = GeneratedDocument.objects.values_list("content", flat=True).get(pk=document.pk)
        response = HttpResponse(
            bytes(content), content_type=get_format(document.format, document.kind).content_type
        )
        response["Content-Disposition"] = content_disposition_header(True, document.filename())
    response["ETag"] = etag
    # Only a done document is served, and its bytes never change: it is public. Caches
    # check back daily, as a newer document of the same kind replaces it on the shelf.
    response["Cache-Control"] = "public, max-age=86400"
    return response
