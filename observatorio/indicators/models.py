"""Indicators: what is measured (definitions) and the measured values, stored tidy.

An :class:`Indicator` says what a figure means: its unit and kind, the formula that
computes it from other indicators (numerator / denominator × factor), the dimensions
its values are broken down by, how often it is measured, who produces it, the Global
Compact objectives and SDG targets it follows, and how small a published count may be
(``min_cell``, the *k* of the small-cell protection). A :class:`Value` is one number:
one indicator, one period, the country or one state, and one member of each dimension
("" = every member, the total), with its status, where it came from and, for what was
imported, the lines of its source.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import GcmObjective, Institution, _in_language
from observatorio.lib.relations import optional
from observatorio.sources.models import SourceDocument

#: The dimensions a value can be broken down by: (field of Value, name in URLs and files).
DIMENSIONS = (
    ("sex", "sexo"),
    ("age_group", "grupo_edad"),
    ("nationality", "nacionalidad"),
    ("country_of_birth", "pais_nacimiento"),
    ("population", "poblacion"),
    ("objective", "objetivo"),
)
#: The fields of Value holding a dimension's member ("" = all), in the order above.
DIMENSION_FIELDS = tuple(field for field, _name in DIMENSIONS)
#: The fields that say which cell a value is: period, part of it, state, each dimension.
CELL = ("period", "period_label", "state", *DIMENSION_FIELDS)
SEXES = ("mujer", "hombre", "no_especificado")
#: The Global Compact objectives a value may be broken down by ("1" … "23").
OBJECTIVES = tuple(str(number) for number in range(1, 24))
AGE_GROUPS = ("0-11", "12-17", "18-29", "30-59", "60+", "no_especificado")


class Indicator(models.Model):
    """The definition of one indicator (one version of it)."""

    class Kind(models.TextChoices):
        COUNT = "conteo", _("Conteo")
        RATIO = "razon", _("Razón")
        PERCENTAGE = "porcentaje", _("Porcentaje")
        RATE = "tasa", _("Tasa")

    class Frequency(models.TextChoices):
        ANNUAL = "anual", _("Anual")
        QUARTERLY = "trimestral", _("Trimestral")
        MONTHLY = "mensual", _("Mensual")
        CENSUS = "quinquenal", _("Quinquenal (censos y conteos)")
        ONCE = "unica", _("Única")

    class Theme(models.TextChoices):
        POPULATION = "poblacion", _("Población y movilidad")
        CONTROL = "control", _("Entradas, control migratorio y retorno")
        DOCUMENTS = "documentacion", _("Documentación y regularización")
        PROTECTION = "proteccion", _("Protección internacional y vidas")
        CARE = "atencion", _("Atención y servicios")
        DEVELOPMENT = "desarrollo", _("Remesas y desarrollo")
        FOLLOW_UP = "seguimiento", _("Seguimiento del Pacto Mundial")

    class Measure(models.TextChoices):
        NONE = "", _("Se captura o se importa")
        SERVICES = "servicios", _("Servicios otorgados (un registro, un servicio)")
        PERSONS = "personas", _("Personas distintas atendidas")
        PROGRAMS = "programas", _("Programas publicados, contados de los reportes")

    code = models.SlugField(_("clave"), max_length=60, unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=250)
    name_en = models.CharField(_("nombre (inglés)"), max_length=250, blank=True)
    description_es = models.TextField(_("descripción (español)"), blank=True)
    description_en = models.TextField(_("descripción (inglés)"), blank=True)
    unit = models.CharField(_("unidad"), max_length=40)
    kind = models.CharField(_("tipo"), max_length=12, choices=Kind.choices, default=Kind.COUNT)
    theme = models.CharField(_("tema"), max_length=20, choices=Theme.choices, blank=True)
    numerator = optional("self", models.PROTECT, "+", _("numerador"))
    denominator = optional("self", models.PROTECT, "+", _("denominador"))
    factor = models.DecimalField(_("factor"), max_digits=12, decimal_places=2, default=1)
    dimensions = models.JSONField(
        _("desagregaciones"),
        default=list,
        blank=True,
        help_text=_("Nombres de las desagregaciones: entidad, sexo, grupo_edad, nacionalidad…"),
    )
    frequency = models.CharField(
        _("periodicidad"), max_length=12, choices=Frequency.choices, default=Frequency.ANNUAL
    )
    measure = models.CharField(
        _("cálculo desde registros"), max_length=12, choices=Measure.choices, blank=True
    )
    source_institution = optional(
        Institution, models.PROTECT, "indicators", _("institución fuente")
    )
    source_note = models.TextField(_("fuente"), blank=True)
    objectives = models.ManyToManyField(
        GcmObjective, blank=True, related_name="indicators", verbose_name=_("objetivos del PMM")
    )
    sdg_targets = models.JSONField(
        _("metas e indicadores ODS"), default=list, blank=True, help_text=_("p. ej. 10.7.2")
    )
    notes_es = models.TextField(_("notas metodológicas (español)"), blank=True)
    notes_en = models.TextField(_("notas metodológicas (inglés)"), blank=True)
    min_cell = models.PositiveSmallIntegerField(
        _("celda mínima publicable"),
        default=5,
        help_text=_("Los conteos de 1 a este número menos uno no se publican."),
    )
    version = models.PositiveSmallIntegerField(_("versión"), default=1)
    valid_from = models.DateField(_("vigente desde"), null=True, blank=True)
    valid_to = models.DateField(_("vigente hasta"), null=True, blank=True)
    source = optional(SourceDocument, models.PROTECT, "indicators", _("documento de origen"))
    source_lines = models.CharField(_("líneas del documento"), max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")

    def __str__(self) -> str:
        return f"{self.code} · {self.name_es}"

    @property
    def name(self) -> str:
        """The name in the active language (Spanish when there is no English one)."""
        return _in_language(self.name_es, self.name_en)

    @property
    def from_records(self) -> bool:
        """Counted from files of attention records (``aggregate_records``)."""
        return self.measure in (self.Measure.SERVICES, self.Measure.PERSONS)

    @property
    def is_computed(self) -> bool:
        return self.numerator_id is not None


class ValueQuerySet(models.QuerySet):
    def national(self):
        return self.filter(state="")

    def totals(self):
        """The values with no breakdown but the state (every dimension at its total)."""
        return self.filter(**{field: "" for field, _name in DIMENSIONS})


class Value(models.Model):
    """One value of one indicator: a period, the country or a state, one member of each
    dimension ("" = all)."""

    class Status(models.TextChoices):
        PRELIMINARY = "preliminar", _("Preliminar")
        FINAL = "definitivo", _("Definitivo")

    class Review(models.TextChoices):
        DRAFT = "borrador", _("Borrador")
        SUBMITTED = "enviado", _("Enviado a revisión")
        APPROVED = "aprobado", _("Aprobado")

    class Origin(models.TextChoices):
        RECORDS = "registros", _("Registros administrativos")
        FORM = "formulario", _("Capturado")
        FILE = "archivo", _("Archivo importado")
        FORMULA = "formula", _("Calculado por fórmula")
        REPORTS = "reportes", _("Contado de los reportes publicados")
        PANORAMA = "panorama", _("Panorama del estudio de buenas prácticas")

    indicator = models.ForeignKey(
        Indicator, models.CASCADE, related_name="values", verbose_name=_("indicador")
    )
    period = models.PositiveSmallIntegerField(_("periodo (año)"))
    period_label = models.CharField(
        _("parte del año"),
        max_length=60,
        blank=True,
        help_text=_("Vacío: el año completo; si no, los meses como se publicaron."),
    )
    state = models.CharField(
        _("entidad (clave INEGI)"), max_length=2, blank=True, help_text=_("Vacío: nacional.")
    )
    sex = models.CharField(_("sexo"), max_length=20, blank=True)
    age_group = models.CharField(_("grupo de edad"), max_length=20, blank=True)
    nationality = models.CharField(_("nacionalidad"), max_length=3, blank=True)
    country_of_birth = models.CharField(_("país de nacimiento"), max_length=3, blank=True)
    population = models.CharField(_("grupo de población"), max_length=60, blank=True)
    objective = models.CharField(_("objetivo del PMM"), max_length=2, blank=True)
    value = models.DecimalField(_("valor"), max_digits=20, decimal_places=4, null=True)
    status = models.CharField(
        _("estado del dato"), max_length=12, choices=Status.choices, default=Status.PRELIMINARY
    )
    review = models.CharField(
        _("revisión"), max_length=12, choices=Review.choices, default=Review.DRAFT
    )
    origin = models.CharField(_("origen"), max_length=12, choices=Origin.choices)
    source_cited = models.TextField(_("fuente citada"), blank=True)
    source = optional(SourceDocument, models.PROTECT, "indicator_values", _("documento de origen"))
    source_lines = models.CharField(_("líneas del documento"), max_length=40, blank=True)
    flags = models.JSONField(_("alertas"), default=list, blank=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = ValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period", "state", "sex", "age_group"]
        verbose_name = _("valor de indicador")
        verbose_name_plural = _("valores de indicadores")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", *CELL],
                name="indicator_value_one_per_cell",
            )
        ]
        indexes = [models.Index(fields=["indicator", "period", "state"])]

    def __str__(self) -> str:
        where = self.state or "nacional"
        return f"{self.indicator.code} {self.period} {where}: {self.value}"


class ValueRevision(models.Model):
    """One change of one value: who, when, what it was and became, its review after it."""

    class Action(models.TextChoices):
        CREATED = "creado", _("Creado")
        CHANGED = "modificado", _("Modificado")
        SUBMITTED = "enviado", _("Enviado a revisión")
        APPROVED = "aprobado", _("Aprobado")
        UNLOCKED = "desbloqueado", _("Desbloqueado")
        IMPORTED = "importado", _("Importado")
        COMPUTED = "calculado", _("Calculado")

    value = models.ForeignKey(
        Value, models.CASCADE, related_name="revisions", verbose_name=_("valor")
    )
    at = models.DateTimeField(_("fecha"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("por"),
    )
    action = models.CharField(_("acción"), max_length=14, choices=Action.choices)
    previous = models.DecimalField(
        _("valor anterior"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    new = models.DecimalField(
        _("valor nuevo"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    review = models.CharField(_("revisión después"), max_length=12, choices=Value.Review.choices)
    comment = models.TextField(_("comentario"), blank=True)

    class Meta:
        ordering = ["value", "at", "pk"]
        verbose_name = _("cambio de un valor")
        verbose_name_plural = _("historial de valores")

    def __str__(self) -> str:
        return f"{self.value_id} {self.action} {self.at:%Y-%m-%d %H:%M}"
