"""Coordination bodies and what they do: members, sessions, agreements followed to the end.

A :class:`Body` is the CIAIMM, one of its working groups or tables, a state council and its
sub-bodies, a network of municipal enlaces, or the Observatorio itself. Its history reads
back from :class:`BodyEvent` (created, renamed, merged, dissolved at a session) and its
other names from :class:`BodyName`. :class:`Member` rows carry who sits on a body, by
sector and role, for a period. A state's enlace is not a member row: it is the enlace
membership of the reporting workflow (``accounts.Membership``), read with its history.

Records loaded from the source documents point back to them (:class:`Provenance`).
Information requests, each state's Modelo and its installation steps are in
``models_states.py``; files (minutes, evidence, attachments) in :class:`StoredFile`.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import Institution, State
from observatorio.lib.relations import optional
from observatorio.sources.models import SourceDocument


class Provenance(models.Model):
    """Where a loaded record comes from: a document and its lines (empty when typed in)."""

    source = optional(SourceDocument, models.PROTECT, "+", _("documento de origen"))
    first_line = models.PositiveIntegerField(_("primera línea"), null=True, blank=True)
    last_line = models.PositiveIntegerField(_("última línea"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def source_lines_label(self) -> str:
        """«línea 77» or «líneas 77–79»."""
        if self.first_line is None:
            return ""
        if self.last_line in (None, self.first_line):
            return _("línea %(n)s") % {"n": self.first_line}
        return _("líneas %(lines)s") % {"lines": self.source_lines}

    @property
    def source_lines(self) -> str:
        if self.first_line is None:
            return ""
        if self.last_line in (None, self.first_line):
            return str(self.first_line)
        return f"{self.first_line}–{self.last_line}"


class StoredFile(models.Model):
    """An uploaded file (minutes, evidence, an attachment), kept in the database.

    Files are read only through the pages that check who may see what they belong to.
    """

    name = models.CharField(_("nombre"), max_length=200)
    media_type = models.CharField(_("tipo"), max_length=100)
    size = models.PositiveIntegerField(_("tamaño en bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.BinaryField(_("contenido"))
    uploaded_at = models.DateTimeField(_("subido"), default=timezone.now)
    uploaded_by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("subido por"))

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("archivo")
        verbose_name_plural = _("archivos")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def keep(cls, name: str, media_type: str, content: bytes, by=None) -> StoredFile:
        return cls.objects.create(
            name=name[:200],
            media_type=media_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
            uploaded_by=by,
        )


class Body(Provenance):
    """A coordination body, as it calls itself."""

    class Kind(models.TextChoices):
        COMMISSION = "commission", _("Comisión intersecretarial")
        WORKING_GROUP = "working_group", _("Grupo de trabajo")
        WORKING_TABLE = "working_table", _("Mesa de trabajo")
        STATE_COUNCIL = "state_council", _("Consejo estatal")
        CONSULTATIVE_COUNCIL = "consultative_council", _("Consejo consultivo")
        SECTORAL_COMMISSION = "sectoral_commission", _("Comisión sectorial")
        MUNICIPAL_NETWORK = "municipal_network", _("Red de enlaces municipales")
        LOCAL_COUNCIL = "local_council", _("Consejo o mesa local")
        OBSERVATORY = "observatory", _("Observatorio")

    key = models.SlugField(_("clave"), max_length=60, unique=True)
    name = models.CharField(_("nombre"), max_length=300)
    acronym = models.CharField(_("siglas"), max_length=40, blank=True)
    kind = models.CharField(_("tipo"), max_length=30, choices=Kind.choices)
    state = optional(
        State,
        models.PROTECT,
        "bodies",
        _("entidad federativa"),
        help_text=_("Vacío para los órganos federales."),
    )
    parent = optional("self", models.PROTECT, "children", _("órgano del que depende"))
    legal_basis = models.TextField(_("fundamento jurídico"), blank=True)
    installed_on = models.DateField(_("fecha de instalación"), null=True, blank=True)
    installed_year = models.PositiveSmallIntegerField(
        _("año de instalación"), null=True, blank=True
    )
    dissolved_on = models.DateField(_("fecha de disolución"), null=True, blank=True)
    lead_institution = optional(
        Institution, models.PROTECT, "led_bodies", _("institución que lo encabeza")
    )
    lead_person = models.CharField(_("persona que lo encabeza"), max_length=200, blank=True)
    description = models.TextField(_("descripción"), blank=True)
    size_note = models.CharField(_("tamaño"), max_length=200, blank=True)
    public = models.BooleanField(
        _("público"), default=True, help_text=_("Sin marcar, solo lo ve quien lo coordina.")
    )

    #: What a body's record says of it, first (its form and the API list these).
    DETAILS = ("name", "acronym", "kind", "state", "parent", "legal_basis", "installed_on")

    class Meta:
        ordering = ["state__inegi_code", "parent_id", "name"]
        verbose_name = _("órgano de coordinación")
        verbose_name_plural = _("órganos de coordinación")
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(installed_on__isnull=True)
                | Q(dissolved_on__gte=models.F("installed_on")),
                name="body_dissolved_after_installed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def installed_label(self) -> str:
        if self.installed_on:
            return self.installed_on.isoformat()
        return str(self.installed_year or "")

    @property
    def is_federal(self) -> bool:
        return self.state_id is None

    def lineage(self) -> list[Body]:
        """The body's ancestors, the furthest first."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain[::-1]


class BodyName(Provenance):
    """Another name a body goes by, or went by, as a document prints it."""

    body = models.ForeignKey(Body, models.CASCADE, related_name="names", verbose_name=_("órgano"))
    name = models.CharField(_("nombre"), max_length=300)

    class Meta:
        ordering = ["body", "name"]
        verbose_name = _("otro nombre")
        verbose_name_plural = _("otros nombres")
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="body_name_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Member(Provenance):
    """Who sits on a body, for which sector and in which role, from one date to another."""

    class Sector(models.TextChoices):
        STATE_AGENCY = "state_agency", _("Dependencia estatal")
        FEDERAL = "federal", _("Dependencia o delegación federal")
        HUMAN_RIGHTS = "human_rights", _("Comisión de derechos humanos")
        CIVIL_SOCIETY = "civil_society", _("Sociedad civil")
        ACADEMIA = "academia", _("Academia")
        PRIVATE = "private", _("Sector privado")
        INTERNATIONAL = "international", _("Organismo internacional")
        MUNICIPAL = "municipal", _("Gobierno municipal")

    class Position(models.TextChoices):
        PRESIDENT = "president", _("Presidencia")
        SECRETARY = "secretary", _("Secretaría técnica")
        MEMBER = "member", _("Integrante")
        VOICE_ONLY = "voice_only", _("Integrante con voz, sin voto")

    #: Roles a body has one of at a time.
    SINGLE = frozenset({Position.PRESIDENT, Position.SECRETARY})

    body = models.ForeignKey(Body, models.CASCADE, related_name="members", verbose_name=_("órgano"))
    institution = optional(Institution, models.PROTECT, "body_seats", _("institución"))
    person = models.CharField(_("persona o cargo"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    role = models.CharField(
        _("función"), max_length=20, choices=Position.choices, default=Position.MEMBER
    )
    started_on = models.DateField(_("desde"), null=True, blank=True)
    ended_on = models.DateField(_("hasta"), null=True, blank=True)
    user = optional(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        "body_seats",
        _("cuenta en el sistema"),
        help_text=_("Quien tiene cuenta comenta y da seguimiento a los acuerdos del órgano."),
    )
    email = models.EmailField(_("correo de contacto"), blank=True)
    phone = models.CharField(_("teléfono de contacto"), max_length=40, blank=True)

    class Meta:
        ordering = ["body", "role", "institution__acronym", "person"]
        verbose_name = _("integrante")
        verbose_name_plural = _("integrantes")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="member_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | ~Q(person=""),
                name="member_names_someone",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or (self.institution.acronym if self.institution else "")
        return f"{who} · {self.get_role_display()}"

    @property
    def who(self) -> str:
        parts = [p for p in (self.person, self.institution and self.institution.name) if p]
        return " — ".join(parts)

    def in_force(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (self.started_on is None or self.started_on <= day) and (
            self.ended_on is None or self.ended_on > day
        )


class Session(Provenance):
    """A meeting of a body: when, where, who came, what was on the agenda, its minutes."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinaria")
        EXTRAORDINARY = "extraordinary", _("Extraordinaria")
        JOINT = "joint", _("Conjunta")

    body = models.ForeignKey(
        Body, models.PROTECT, related_name="sessions", verbose_name=_("órgano")
    )
    key = models.SlugField(_("clave"), max_length=60, unique=True, null=True, blank=True)
    date = models.DateField(_("fecha"))
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    number = models.PositiveSmallIntegerField(_("número"), null=True, blank=True)
    place = models.CharField(_("sede"), max_length=300, blank=True)
    videoconference = models.BooleanField(_("por videoconferencia"), default=False)
    convened_by = optional(Institution, models.PROTECT, "convened_sessions", _("convoca"))
    presided_by = models.CharField(_("preside"), max_length=200, blank=True)
    agenda = models.TextField(_("orden del día"), blank=True, help_text=_("Un punto por línea."))
    description = models.TextField(_("resumen"), blank=True)
    public = models.BooleanField(
        _("publicada"),
        default=True,
        help_text=_("Sin marcar, es un borrador que solo ve quien coordina el órgano."),
    )
    minutes = optional(StoredFile, models.PROTECT, "+", _("acta (PDF)"))
    minutes_public = models.BooleanField(
        _("acta pública"),
        default=False,
        help_text=_("Sin marcar, el acta es interna: solo la ven quienes participan."),
    )
    linked = models.ManyToManyField(
        "self",
        symmetrical=True,
        blank=True,
        verbose_name=_("sesiones vinculadas"),
        help_text=_("Sesiones conjuntas o de seguimiento de otros órganos."),
    )
    attending = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="attended_sessions",
        verbose_name=_("instituciones que asistieron"),
    )
    attendees = models.TextField(
        _("otras personas asistentes"), blank=True, help_text=_("Una por línea.")
    )
    created_at = models.DateTimeField(_("registrada"), default=timezone.now)

    #: What a session's record says of it (its form and the API list these).
    DETAILS = (
        "date",
        "kind",
        "number",
        "place",
        "videoconference",
        "convened_by",
        "presided_by",
        "agenda",
    )

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("sesión")
        verbose_name_plural = _("sesiones")

    def __str__(self) -> str:
        return f"{self.title} · {self.date.isoformat()}"

    @property
    def title(self) -> str:
        kind = self.get_kind_display().lower()
        if self.number:
            return _("%(n)sª sesión %(kind)s de %(body)s") % {
                "n": self.number,
                "kind": kind,
                "body": self.body.acronym or self.body.name,
            }
        return _("Sesión %(kind)s de %(body)s") % {
            "kind": kind,
            "body": self.body.acronym or self.body.name,
        }

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]

    @property
    def attendee_names(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class BodyEvent(Provenance):
    """A change in a body's life, taken at a session: created, renamed, merged, dissolved."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Creación")
        RENAMED = "renamed", _("Cambio de nombre")
        MERGED = "merged", _("Fusión")
        DISSOLVED = "dissolved", _("Disolución")
        RESTRUCTURED = "restructured", _("Reestructuración")

    body = models.ForeignKey(Body, models.CASCADE, related_name="events", verbose_name=_("órgano"))
    session = optional(Session, models.PROTECT, "events", _("sesión"))
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("fecha"))
    note = models.TextField(_("nota"), blank=True)
    former_name = models.CharField(_("nombre anterior"), max_length=300, blank=True)
    merged_into = optional(Body, models.PROTECT, "absorbed", _("fusionado en"))

    #: The name a body takes when renamed (not stored: the body's name changes).
    new_name = ""

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("evento del órgano")
        verbose_name_plural = _("eventos de los órganos")

    def __str__(self) -> str:
        return f"{self.body} · {self.get_kind_display()} · {self.date.isoformat()}"


class AgreementQuerySet(models.QuerySet):
    OPEN = ("pending", "in_progress")

    def overdue(self, on: dt.date | None = None) -> AgreementQuerySet:
        day = on or timezone.localdate()
        return self.filter(status__in=self.OPEN, due_on__lt=day)

    def not_overdue(self, on: dt.date | None = None) -> AgreementQuerySet:
        day = on or timezone.localdate()
        return self.exclude(status__in=self.OPEN, due_on__lt=day)

    def with_status(self, status: str, on: dt.date | None = None) -> AgreementQuerySet:
        """Agreements whose status *as shown* is *status* (``overdue`` is computed)."""
        if status == Agreement.OVERDUE:
            return self.overdue(on)
        if status in self.OPEN:
            return self.filter(status=status).not_overdue(on)
        return self.filter(status=status)

    def tracked(self, *, body="", state="", institution="", status="", overdue="", session=None):
        """The tracker's filters, by the names the API and its CSV use: a body's key, a
        state's INEGI code, a responsible institution's acronym, a status as shown, and
        ``overdue`` ("true": only overdue; "false": none overdue)."""
        qs = self
        for value, lookup in (
            (body, "body__key"),
            (state, "body__state__inegi_code"),
            (institution, "responsible__acronym__iexact"),
            (session, "session_id"),
        ):
            if value:
                qs = qs.filter(**{lookup: value})
        if status:
            qs = qs.with_status(status)
        if overdue in ("true", True):
            qs = qs.overdue()
        elif overdue in ("false", False):
            qs = qs.not_overdue()
        return qs


class Agreement(Provenance):
    """What a body agreed, who answers for it, by when, and how far it has gone."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        IN_PROGRESS = "in_progress", _("En proceso")
        DONE = "done", _("Cumplido")
        CANCELLED = "cancelled", _("Cancelado")

    #: The status shown when an open agreement passed its due date (never stored).
    OVERDUE = "overdue"
    STATUS_LABELS = {**dict(Status.choices), OVERDUE: _("Vencido")}

    body = models.ForeignKey(
        Body, models.PROTECT, related_name="agreements", verbose_name=_("órgano")
    )
    session = optional(Session, models.PROTECT, "agreements", _("sesión en que se tomó"))
    key = models.SlugField(_("clave"), max_length=60, unique=True, null=True, blank=True)
    text = models.TextField(_("acuerdo"))
    responsible = models.ManyToManyField(
        Institution, related_name="agreements", verbose_name=_("instituciones responsables")
    )
    agreed_on = models.DateField(
        _("fecha del acuerdo"),
        null=True,
        blank=True,
        help_text=_("Vacía si el documento no la dice."),
    )
    due_on = models.DateField(_("fecha compromiso"), null=True, blank=True)
    status = models.CharField(
        _("estado"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    public = models.BooleanField(
        _("público"), default=True, help_text=_("Sin marcar, es un borrador interno.")
    )
    #: The due date a reminder was sent for (a new due date can be reminded again).
    reminded_for = models.DateField(_("recordatorio enviado para"), null=True, blank=True)
    closed_on = models.DateField(_("fecha de cierre"), null=True, blank=True)
    updated_at = models.DateTimeField(_("actualizado"), default=timezone.now)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = [models.F("agreed_on").desc(nulls_last=True), "pk"]
        verbose_name = _("acuerdo")
        verbose_name_plural = _("acuerdos")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(agreed_on__isnull=True)
                | Q(due_on__gte=models.F("agreed_on")),
                name="agreement_due_after_agreed",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def is_overdue(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.status in AgreementQuerySet.OPEN and self.due_on is not None and self.due_on < day
        )

    def shown_status(self, on: dt.date | None = None) -> str:
        return self.OVERDUE if self.is_overdue(on) else self.status

    def shown_status_label(self) -> str:
        return str(self.STATUS_LABELS[self.shown_status()])

    @property
    def days_overdue(self) -> int:
        if not self.is_overdue():
            return 0
        return (timezone.localdate() - self.due_on).days


class AgreementNote(Provenance):
    """A dated step in an agreement's follow-up: progress (may change the status) or a comment."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Avance")
        COMMENT = "comment", _("Comentario")

    agreement = models.ForeignKey(
        Agreement, models.CASCADE, related_name="notes", verbose_name=_("acuerdo")
    )
    kind = models.CharField(_("tipo"), max_length=10, choices=Kind.choices)
    text = models.TextField(_("texto"))
    status_to = models.CharField(
        _("estado nuevo"), max_length=20, choices=Agreement.Status.choices, blank=True
    )
    on = models.DateField(_("fecha"), default=timezone.localdate)
    author = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("autor"))
    evidence = models.ManyToManyField(StoredFile, blank=True, verbose_name=_("evidencia"))
    created_at = models.DateTimeField(_("registrado"), default=timezone.now)

    class Meta:
        ordering = ["on", "created_at", "pk"]
        verbose_name = _("nota de seguimiento")
        verbose_name_plural = _("notas de seguimiento")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.on.isoformat()}"


class ServiceCentre(Provenance):
    """A place that serves people in mobility, as the agreements name it (the needs
    registry records referrals to these)."""

    class Kind(models.TextChoices):
        MULTISERVICE = "centro_multiservicios", _("Centro Multiservicios de Inclusión y Desarrollo")
        INTEGRATOR = "centro_integrador", _("Centro Integrador del Migrante")

    key = models.SlugField(_("clave"), max_length=60, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=30, choices=Kind.choices)
    state = models.ForeignKey(
        State, models.PROTECT, related_name="service_centres", verbose_name=_("entidad")
    )
    municipality = models.CharField(_("municipio"), max_length=120)
    operator = optional(Institution, models.PROTECT, "service_centres", _("opera"))
    status_text = models.TextField(_("situación según el documento"), blank=True)
    agreements = models.ManyToManyField(
        Agreement, blank=True, related_name="centres", verbose_name=_("acuerdos que lo nombran")
    )

    class Meta:
        ordering = ["state__inegi_code", "name"]
        verbose_name = _("centro de atención")
        verbose_name_plural = _("centros de atención")

    def __str__(self) -> str:
        return self.name


from .models_states import (  # noqa: E402, F401  (models of this app, kept in their module)
    InformationRequest,
    InstallationStep,
    ModelPoint,
    Proposal,
    RequestAnswer,
)
