"""Good practices, their five-criteria rating by several raters, and state panoramas."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import GcmObjective, Institution, PopulationGroup, Region, State
from observatorio.lib.relations import optional
from observatorio.programs.models import Program
from observatorio.sources.models import SourceDocument

# The five criteria of the OIM–CONOFAM method, in the order the fichas print them.
CRITERIA = ("sostenibilidad", "asociacion", "innovacion", "replicabilidad", "eficacia")
CRITERIA_LABELS = {
    "sostenibilidad": _("Sostenibilidad"),
    "asociacion": _("Asociación"),
    "innovacion": _("Innovación"),
    "replicabilidad": _("Replicabilidad"),
    "eficacia": _("Eficacia"),
}
QUALIFYING_MARKS = 3


class Mark(models.TextChoices):
    MEETS = "cumple", _("Cumple")
    FAILS = "no_cumple", _("No cumple")
    UNKNOWN = "sin_dato", _("Sin dato")

    @classmethod
    def from_bool(cls, value: bool | None) -> Mark:
        return cls.UNKNOWN if value is None else (cls.MEETS if value else cls.FAILS)


class Qualification(models.TextChoices):
    QUALIFIES = "califica", _("Califica como buena práctica")
    DOES_NOT = "no_califica", _("No califica")
    UNDETERMINED = "indeterminada", _("Indeterminada: faltan marcas")


def qualification(marks: list[str]) -> Qualification:
    """Decide qualification from five marks: at least 3 met, with unknowns taken into account.

    Qualifies for certain when 3 are met; cannot qualify when even counting
    every unknown as met stays under 3; otherwise undetermined.
    """
    met = sum(m == Mark.MEETS for m in marks)
    unknown = sum(m == Mark.UNKNOWN for m in marks)
    if met >= QUALIFYING_MARKS:
        return Qualification.QUALIFIES
    if met + unknown < QUALIFYING_MARKS:
        return Qualification.DOES_NOT
    return Qualification.UNDETERMINED


def _mark_field(key: str) -> models.CharField:
    return models.CharField(
        CRITERIA_LABELS[key], max_length=10, choices=Mark.choices, default=Mark.UNKNOWN
    )


def _justification_field(key: str) -> models.TextField:
    return models.TextField(
        format_lazy("{}: {}", _("justificación"), CRITERIA_LABELS[key]), blank=True
    )


class CriteriaMarks(models.Model):
    """Five marks with their justifications (abstract: practices and ratings share it)."""

    sostenibilidad_mark = _mark_field("sostenibilidad")
    sostenibilidad_justification = _justification_field("sostenibilidad")
    asociacion_mark = _mark_field("asociacion")
    asociacion_justification = _justification_field("asociacion")
    innovacion_mark = _mark_field("innovacion")
    innovacion_justification = _justification_field("innovacion")
    replicabilidad_mark = _mark_field("replicabilidad")
    replicabilidad_justification = _justification_field("replicabilidad")
    eficacia_mark = _mark_field("eficacia")
    eficacia_justification = _justification_field("eficacia")

    class Meta:
        abstract = True

    def marks(self) -> dict[str, str]:
        return {key: getattr(self, f"{key}_mark") for key in CRITERIA}

    def justifications(self) -> dict[str, str]:
        return {key: getattr(self, f"{key}_justification") for key in CRITERIA}

    def criteria_rows(self) -> list[dict]:
        """Criteria for display: key, label, mark, its label and justification."""
        return [
            {
                "key": key,
                "label": CRITERIA_LABELS[key],
                "mark": getattr(self, f"{key}_mark"),
                "mark_label": Mark(getattr(self, f"{key}_mark")).label,
                "justification": getattr(self, f"{key}_justification"),
            }
            for key in CRITERIA
        ]

    @property
    def qualification(self) -> Qualification:
        return qualification(list(self.marks().values()))


class GoodPractice(CriteriaMarks):
    """A state or municipal practice documented in a ficha and rated on five criteria."""

    #: What the ficha says of the practice, in its order (the admin and the API show it so).
    FICHA = (
        "coordinating_institution",
        "institutions",
        "dimension",
        "populations",
        "target_population",
        "description",
    )

    class MarksFrom(models.TextChoices):
        SOURCE = "fuente", _("Marcas del documento fuente")
        RATERS = "evaluadores", _("Marcas por mayoría de las personas evaluadoras")

    state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        related_name="practices",
        verbose_name=_("entidad federativa"),
    )
    region = optional(Region, models.PROTECT, "practices", _("región"))
    number = models.PositiveSmallIntegerField(_("número en las fichas de la entidad"))
    title = models.TextField(_("título"))
    coordinating_institution = models.TextField(_("institución que coordina"), blank=True)
    institutions = models.ManyToManyField(
        Institution, blank=True, related_name="practices", verbose_name=_("instituciones")
    )
    dimension = models.CharField(
        _("dimensión de la población que atiende"), max_length=300, blank=True
    )
    populations = models.ManyToManyField(
        PopulationGroup, blank=True, related_name="practices", verbose_name=_("grupos de población")
    )
    target_population = models.TextField(_("población objetivo"), blank=True)
    description = models.TextField(_("características de la práctica"), blank=True)
    program = optional(Program, models.SET_NULL, "practices", _("programa relacionado"))
    objectives = models.ManyToManyField(
        GcmObjective, blank=True, related_name="practices", verbose_name=_("objetivos del PMM")
    )
    marks_from = models.CharField(
        _("origen de las marcas"),
        max_length=12,
        choices=MarksFrom.choices,
        default=MarksFrom.SOURCE,
    )
    justification_text = models.TextField(_("texto de justificación completo"), blank=True)
    justifications_separated = models.BooleanField(
        _("justificaciones separadas por criterio"), default=False
    )
    source = optional(SourceDocument, models.PROTECT, "practices", _("documento fuente"))
    source_first_line = models.PositiveIntegerField(_("primera línea en la fuente"), null=True)
    source_last_line = models.PositiveIntegerField(_("última línea en la fuente"), null=True)
    import_warnings = models.JSONField(_("advertencias de importación"), default=list, blank=True)

    class Meta:
        ordering = ["state__inegi_code", "number"]
        verbose_name = _("buena práctica")
        verbose_name_plural = _("buenas prácticas")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "state", "number"], name="unique_practice_number_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.state} {self.number}. {self.title}"

    def apply_ratings(self) -> None:
        """Set the five marks from the raters by majority (see ``panel_marks``) and save."""
        ratings = list(self.ratings.all())
        if not ratings:
            return
        for key, mark in panel_marks(ratings).items():
            setattr(self, f"{key}_mark", mark)
        self.marks_from = self.MarksFrom.RATERS
        self.save()


class PracticeRating(CriteriaMarks):
    """One rater's five marks and justifications for a practice."""

    practice = models.ForeignKey(
        GoodPractice, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("práctica")
    )
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="practice_ratings",
        verbose_name=_("persona evaluadora"),
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modificada"), auto_now=True)

    class Meta:
        ordering = ["practice", "created_at"]
        verbose_name = _("evaluación de práctica")
        verbose_name_plural = _("evaluaciones de prácticas")
        constraints = [
            models.UniqueConstraint(fields=["practice", "rater"], name="one_rating_per_rater")
        ]

    def __str__(self) -> str:
        return f"{self.practice} · {self.rater}"


def panel_marks(ratings: list[CriteriaMarks]) -> dict[str, str]:
    """Combine raters' marks per criterion by strict majority of the known marks.

    Unknown marks abstain. A tie, or no known mark at all, gives *unknown*:
    the panel did not decide, so the practice is not counted as meeting or
    failing that criterion.
    """
    result = {}
    for key in CRITERIA:
        votes = Counter(getattr(r, f"{key}_mark") for r in ratings)
        meets, fails = votes[Mark.MEETS], votes[Mark.FAILS]
        if meets > fails:
            result[key] = Mark.MEETS
        elif fails > meets:
            result[key] = Mark.FAILS
        else:
            result[key] = Mark.UNKNOWN
    return result


@dataclass(frozen=True)
class Agreement:
    """Inter-rater agreement over the five criteria of one practice."""

    raters: int
    per_criterion: dict[str, float | None]  # share of rater pairs that agree
    overall: float | None  # mean pairwise agreement over criteria with two known marks
    fleiss_kappa: float | None


def agreement(ratings: list[CriteriaMarks]) -> Agreement:
    """Measure how much raters agree: pairwise agreement per criterion and Fleiss' kappa.

    Only known marks (meets / does not meet) count. Kappa is computed over the
    criteria every rater marked; it is None when it is undefined (fewer than
    two raters, or every mark the same so chance agreement is total).
    """
    per_criterion: dict[str, float | None] = {}
    for key in CRITERIA:
        known = [getattr(r, f"{key}_mark") for r in ratings]
        known = [m for m in known if m != Mark.UNKNOWN]
        n = len(known)
        if n < 2:
            per_criterion[key] = None
            continue
        same = sum(c * (c - 1) for c in Counter(known).values())
        per_criterion[key] = same / (n * (n - 1))
    values = [v for v in per_criterion.values() if v is not None]
    overall = sum(values) / len(values) if values else None

    kappa = None
    n = len(ratings)
    full = [
        key for key in CRITERIA if all(getattr(r, f"{key}_mark") != Mark.UNKNOWN for r in ratings)
    ]
    if n >= 2 and full:
        p_items = []
        totals = Counter()
        for key in full:
            counts = Counter(getattr(r, f"{key}_mark") for r in ratings)
            totals.update(counts)
            p_items.append(sum(c * (c - 1) for c in counts.values()) / (n * (n - 1)))
        p_bar = sum(p_items) / len(p_items)
        grand = n * len(full)
        p_e = sum((c / grand) ** 2 for c in totals.values())
        if p_e < 1:
            kappa = (p_bar - p_e) / (1 - p_e)
    return Agreement(raters=n, per_criterion=per_criterion, overall=overall, fleiss_kappa=kappa)


class PanoramaFigure(models.Model):
    """A figure printed in the regional or state panoramas, kept as printed (tidy shape).

    One row per value: where (state, region or the country), what, how much,
    in which unit and period, the source the text cites, and the line it is
    printed on. Inconsistencies are flagged, never corrected.
    """

    class ScopeKind(models.TextChoices):
        STATE = "estado", _("Entidad federativa")
        REGION = "region", _("Región")
        NATIONAL = "nacional", _("Nacional")

    scope_kind = models.CharField(_("ámbito"), max_length=10, choices=ScopeKind.choices)
    scope_as_printed = models.CharField(_("ámbito como se imprimió"), max_length=200)
    state = models.ForeignKey(
        State, on_delete=models.PROTECT, null=True, blank=True, related_name="panorama_figures"
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="panorama_figures"
    )
    indicator = models.CharField(_("indicador"), max_length=300)
    value = models.DecimalField(_("valor"), max_digits=20, decimal_places=4, null=True, blank=True)
    value_as_printed = models.CharField(_("valor como se imprimió"), max_length=100)
    unit = models.CharField(_("unidad"), max_length=50, blank=True)
    period = models.CharField(_("año o periodo"), max_length=100, blank=True)
    source_cited = models.TextField(_("fuente citada"), blank=True)
    footnote = models.PositiveSmallIntegerField(_("nota al pie"), null=True, blank=True)
    flags = models.JSONField(_("alertas"), default=list, blank=True)
    source = models.ForeignKey(
        SourceDocument, on_delete=models.PROTECT, related_name="panorama_figures"
    )
    source_line = models.PositiveIntegerField(_("línea en la fuente"))

    class Meta:
        ordering = ["source_line", "id"]
        verbose_name = _("cifra de panorama")
        verbose_name_plural = _("cifras de panorama")

    def __str__(self) -> str:
        return f"{self.scope_as_printed}: {self.indicator} = {self.value_as_printed} {self.unit}"

    #: What the study prints of a figure, kept as printed (the importer copies these).
    AS_PRINTED = (
        "indicator",
        "value",
        "value_as_printed",
        "unit",
        "period",
        "source_cited",
        "footnote",
    )
    COMPARED_FIELDS = (
        "source_line",
        "scope_kind",
        "scope_as_printed",
        "state_id",
        "region_id",
        *AS_PRINTED,
    )

    def signature(self) -> tuple:
        """The figure's content, to tell whether a re-import changes anything."""
        return (
            *(getattr(self, name) for name in self.COMPARED_FIELDS),
            tuple(self.flags),
        )
