"""The needs registry: centres and their services (public), and the people registered at
them (restricted), with their consents, contacts, needs and referrals.

Identity values live only in :class:`Sealed` columns (encrypted at rest, see
:mod:`.crypto`); what the statistics count (sex, age group, nationality, country of birth,
population group, state and centre) is kept in clear, coarse, and is published only as
protected aggregates. A person is known in URLs and logs by a random ``ref``, never by a
name or a sequential number.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import Institution, State, _in_language
from observatorio.lib.relations import optional
from observatorio.sources.models import SourceDocument

from . import crypto

#: The age groups the indicators use (``indicators.models.AGE_GROUPS``).
AGE_LIMITS = ((11, "0-11"), (17, "12-17"), (29, "18-29"), (59, "30-59"), (120, "60+"))
UNKNOWN = "no_especificado"
ADULT = 18


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_group(age: int | None) -> str:
    if age is None:
        return UNKNOWN
    for limit, group in AGE_LIMITS:
        if age <= limit:
            return group
    return UNKNOWN


class Sealed(models.TextField):
    """A text column encrypted at rest (AES-GCM, the column's name as associated data).

    Python code reads and writes plain text; the database holds only ciphertext. Nothing
    can be filtered or ordered by it: search goes through the blind indexes.
    """

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.purpose = f"{cls._meta.label_lower}.{name}"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return crypto.decrypt(value, self.purpose)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return value
        return crypto.encrypt(str(value), self.purpose)


def sealed(verbose_name) -> Sealed:
    return Sealed(verbose_name, blank=True, default="")


# --- public: centres, services, needs ------------------------------------------------


class Need(models.Model):
    """A kind of need identified at a contact (the catalogue, ``data/needs.json``)."""

    code = models.SlugField(_("clave"), max_length=40, unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=120)
    name_en = models.CharField(_("nombre (inglés)"), max_length=120, blank=True)
    description_es = models.TextField(_("descripción"), blank=True)
    order = models.PositiveSmallIntegerField(_("orden"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("necesidad")
        verbose_name_plural = _("catálogo de necesidades")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_es, self.name_en)

    @property
    def indicator_code(self) -> str:
        """The indicator that counts the people with this need (``necesidad-<code>``)."""
        return f"necesidad-{self.code}".replace("_", "-")


class Centre(models.Model):
    """A place where people in mobility are attended and registered."""

    class Phase(models.TextChoices):
        OPERATING = "operando", _("En operación como centro multiservicios")
        SHELTER = "albergue", _("Primera etapa: funciona como albergue")
        STRENGTHENING = "fortalecimiento", _("En operación, por fortalecer")
        PLANNED = "previsto", _("Previsto")

    code = models.SlugField(_("clave"), max_length=60, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=60, blank=True)
    state = models.ForeignKey(
        State, models.PROTECT, related_name="centres", verbose_name=_("entidad")
    )
    municipality = models.CharField(_("municipio"), max_length=120)
    operator = optional(Institution, models.PROTECT, "operated_centres", _("opera"))
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices, blank=True)
    financing = models.TextField(_("financiamiento"), blank=True)
    institutions = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="centres_present",
        verbose_name=_("instituciones presentes"),
    )
    description = models.TextField(_("descripción"), blank=True)
    active = models.BooleanField(_("activo"), default=True)
    source = optional(SourceDocument, models.PROTECT, "registry_centres", _("documento de origen"))
    source_lines = models.CharField(_("líneas del documento"), max_length=40, blank=True)

    class Meta:
        ordering = ["state__inegi_code", "name"]
        verbose_name = _("centro")
        verbose_name_plural = _("centros")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """What a centre offers, for a need, and who provides it."""

    centre = models.ForeignKey(
        Centre, models.CASCADE, related_name="services", verbose_name=_("centro")
    )
    need = models.ForeignKey(
        Need, models.PROTECT, related_name="services", verbose_name=_("necesidad")
    )
    name = models.CharField(_("servicio"), max_length=200)
    institution = optional(
        Institution, models.PROTECT, "registry_services", _("institución que lo presta")
    )
    description = models.TextField(_("descripción"), blank=True)
    active = models.BooleanField(_("activo"), default=True)
    source_lines = models.CharField(_("líneas del documento"), max_length=40, blank=True)

    class Meta:
        ordering = ["centre", "need__order", "name"]
        verbose_name = _("servicio")
        verbose_name_plural = _("servicios")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "need", "name"], name="service_once_per_centre"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.centre}"


class StaffPost(models.Model):
    """Where a user with the ``registry`` role works: one centre, or a state's office (every
    centre of the state). A data officer also reviews the access log of that scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="registry_posts",
        verbose_name=_("usuario"),
    )
    centre = optional(Centre, models.PROTECT, "staff", _("centro"))
    state = optional(State, models.PROTECT, "registry_staff", _("oficina estatal"))
    data_officer = models.BooleanField(_("responsable de protección de datos"), default=False)
    started_on = models.DateField(_("desde"), default=timezone.localdate)
    ended_on = models.DateField(_("hasta"), null=True, blank=True)

    class Meta:
        ordering = ["user__username", "-started_on"]
        verbose_name = _("adscripción al registro")
        verbose_name_plural = _("adscripciones al registro")
        constraints = [
            models.CheckConstraint(
                condition=(Q(centre__isnull=False) & Q(state__isnull=True))
                | (Q(centre__isnull=True) & Q(state__isnull=False)),
                name="staff_post_is_a_centre_or_a_state",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.centre or self.state}"


# --- restricted: people --------------------------------------------------------------


class Person(models.Model):
    """A registered person. Identity is sealed; demographics are coarse and in clear."""

    class Sex(models.TextChoices):
        WOMAN = "mujer", _("Mujer")
        MAN = "hombre", _("Hombre")
        UNSPECIFIED = UNKNOWN, _("No especificado")

    class Guardian(models.TextChoices):
        NONE = "", _("No aplica (persona adulta)")
        PARENT = "madre_padre", _("Madre o padre")
        RELATIVE = "familiar", _("Otro familiar")
        TUTOR = "tutor", _("Tutor o tutora legal")
        AUTHORITY = "autoridad", _("Procuraduría de Protección de NNA (no acompañado)")

    ref = models.UUIDField(_("referencia"), default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey(
        Centre, models.PROTECT, related_name="people", verbose_name=_("centro que resguarda")
    )
    registered_on = models.DateField(_("registrado el"), default=timezone.localdate)
    registered_by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("registró"))
    given_names = sealed(_("nombre(s)"))
    surnames = sealed(_("apellidos"))
    birth_date = sealed(_("fecha de nacimiento"))
    declared_age = models.PositiveSmallIntegerField(_("edad declarada"), null=True, blank=True)
    curp = sealed(_("CURP"))
    phone = sealed(_("teléfono"))
    sex = models.CharField(_("sexo"), max_length=20, choices=Sex.choices, default=UNKNOWN)
    nationality = models.CharField(_("nacionalidad"), max_length=3, blank=True)
    country_of_birth = models.CharField(_("país de nacimiento"), max_length=3, blank=True)
    population = models.CharField(_("grupo de población"), max_length=60, blank=True)
    languages = models.JSONField(_("idiomas"), default=list, blank=True)
    without_documents = models.BooleanField(_("sin documento de identidad"), default=False)
    minor = models.BooleanField(_("niña, niño o adolescente"), default=False)
    guardian = models.CharField(
        _("quién lo acompaña o representa"), max_length=20, choices=Guardian.choices, blank=True
    )
    guardian_name = sealed(_("nombre de la persona tutora"))
    authority = sealed(_("autoridad de protección que interviene"))
    age_group = models.CharField(_("grupo de edad al registrarse"), max_length=20, default=UNKNOWN)
    curp_index = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    phone_index = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    identity_index = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    anonymised_at = models.DateTimeField(_("anonimizado"), null=True, blank=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        ordering = ["-registered_on", "-pk"]
        verbose_name = _("persona registrada")
        verbose_name_plural = _("personas registradas")
        indexes = [models.Index(fields=["centre", "registered_on"])]

    def __str__(self) -> str:
        # Never a name: this is what admin pages, logs and error reports would print.
        return f"persona {str(self.ref)[:8]}"

    @property
    def anonymised(self) -> bool:
        return self.anonymised_at is not None

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.given_names, self.surnames) if p) or str(_("(sin nombre)"))

    def birth(self) -> dt.date | None:
        try:
            return dt.date.fromisoformat(self.birth_date) if self.birth_date else None
        except ValueError:
            return None

    def age(self, on: dt.date | None = None) -> int | None:
        day = on or timezone.localdate()
        birth = self.birth()
        if birth is not None:
            return age_on(birth, day)
        if self.declared_age is not None:
            return self.declared_age + max(0, day.year - self.registered_on.year)
        return None

    def index(self) -> None:
        """Compute the blind indexes from the identity in clear (before saving)."""
        self.curp_index = crypto.blind("curp", self.curp)
        self.phone_index = crypto.blind("phone", crypto.phone_digits(self.phone))
        names = crypto.normal(f"{self.given_names} {self.surnames}")
        self.identity_index = (
            crypto.blind("identity", f"{names}|{self.birth_date}")
            if names and self.birth_date
            else ""
        )


class Consent(models.Model):
    """A consent given or refused for one purpose; the newest per purpose is in force."""

    class Purpose(models.TextChoices):
        REGISTRATION = "registro", _("Registro de sus datos")
        SHARING = "compartir", _("Compartir sus datos con el servicio al que se canaliza")
        FOLLOW_UP = "seguimiento", _("Contactarle para dar seguimiento")
        STATISTICS = "estadistica", _("Contarle en estadísticas anónimas")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="consents", verbose_name=_("persona")
    )
    purpose = models.CharField(_("finalidad"), max_length=20, choices=Purpose.choices)
    granted = models.BooleanField(_("otorgado"))
    at = models.DateTimeField(_("fecha"), default=timezone.now)
    by = optional(settings.AUTH_USER_MODEL, models.SET_NULL, "+", _("registró"))

    class Meta:
        ordering = ["person", "purpose", "-at", "-pk"]
        verbose_name = _("consentimiento")
        verbose_name_plural = _("consentimientos")

    def __str__(self) -> str:
        return f"{self.purpose}: {'sí' if self.granted else 'no'}"


class FamilyLink(models.Model):
    """A relative the person travels with or looks for (family reunification)."""

    class Relation(models.TextChoices):
        PARENT = "madre_padre", _("Madre o padre")
        CHILD = "hija_hijo", _("Hija o hijo")
        SPOUSE = "pareja", _("Pareja")
        SIBLING = "hermana_hermano", _("Hermana o hermano")
        OTHER = "otro", _("Otro familiar")

    person = models.ForeignKey(
        Person, models.CASCADE, related_name="family", verbose_name=_("persona")
    )
    relation = models.CharField(_("parentesco"), max_length=20, choices=Relation.choices)
    relative = optional(Person, models.SET_NULL, "+", _("familiar registrado"))
    relative_name = sealed(_("nombre del familiar"))
    searching = models.BooleanField(_("lo busca (reunificación)"), default=False)

    class Meta:
        ordering = ["person", "pk"]
        verbose_name = _("vínculo familiar")
        verbose_name_plural = _("vínculos familiares")

    def __str__(self) -> str:
        return self.get_relation_display()


from .models_care import (  # noqa: E402, F401
    AccessLog,
    Contact,
    DuplicateDismissal,
    IdentifiedNeed,
    Referral,
    ReferralNote,
)
