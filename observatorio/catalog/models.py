"""Reference catalogues: states, regions, PMM objectives, institutions, populations, SDGs."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from observatorio.lib.relations import optional
from observatorio.lib.text import fold


def _in_language(spanish: str, english: str) -> str:
    """Return the English text when English is active and present, else the Spanish."""
    lang = (get_language() or "es").lower()
    return english if lang.startswith("en") and english else spanish


class AliasQuerySet(models.QuerySet):
    def matching(self, printed: str) -> AliasQuerySet:
        """Aliases whose folded form equals the folded *printed* text."""
        return self.filter(folded=fold(printed))


class Alias(models.Model):
    """A name as printed in some document, compared accent- and case-insensitively."""

    text = models.CharField(_("texto"), max_length=300)
    folded = models.CharField(_("forma normalizada"), max_length=300, editable=False, db_index=True)

    objects = AliasQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs):
        self.folded = fold(self.text)
        super().save(*args, **kwargs)


class State(models.Model):
    """One of the 32 entidades federativas."""

    inegi_code = models.CharField(_("clave INEGI"), max_length=2, unique=True)
    iso_code = models.CharField(_("clave ISO 3166-2"), max_length=6, unique=True)
    svg_id = models.CharField(_("id en el mapa SVG"), max_length=3, unique=True)
    name = models.CharField(_("nombre corto"), max_length=100, unique=True)
    official_name = models.CharField(_("nombre oficial"), max_length=150)

    class Meta:
        ordering = ["inegi_code"]
        verbose_name = _("entidad federativa")
        verbose_name_plural = _("entidades federativas")

    def __str__(self) -> str:
        return self.name

    @property
    def slug(self) -> str:
        """The state's name in URLs: ``ciudad-de-mexico``, ``jalisco``."""
        return slugify(self.name)

    @classmethod
    def resolve(cls, printed: str) -> State | None:
        """Return the state a printed name refers to (any variant, any case), or None."""
        alias = StateAlias.objects.matching(printed).select_related("state").first()
        return alias.state if alias else None


class StateAlias(Alias):
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name = _("variante del nombre")
        verbose_name_plural = _("variantes del nombre")
        constraints = [models.UniqueConstraint(fields=["folded"], name="unique_state_alias")]


class Region(models.Model):
    """A named group of states under one regionalisation scheme."""

    class Scheme(models.TextChoices):
        STUDY = "oim-conofam-2022", _("Estudio de buenas prácticas OIM–CONOFAM")
        CONOFAM = "conofam", _("Regiones de la CONOFAM")

    scheme = models.CharField(_("esquema"), max_length=30, choices=Scheme.choices)
    code = models.SlugField(_("clave"), max_length=50)
    name = models.CharField(_("nombre"), max_length=100)
    members = models.ManyToManyField(State, related_name="regions", verbose_name=_("entidades"))
    source = models.TextField(_("fuente"), blank=True)

    class Meta:
        ordering = ["scheme", "name"]
        verbose_name = _("región")
        verbose_name_plural = _("regiones")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="unique_region_per_scheme")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_scheme_display()})"


class GcmObjective(models.Model):
    """One of the 23 objectives of the Global Compact for Migration (Pacto Mundial, PMM)."""

    number = models.PositiveSmallIntegerField(_("número"), unique=True)
    title_es = models.TextField(_("título (español)"))
    title_en = models.TextField(_("título (inglés)"), blank=True)
    short_es = models.CharField(_("etiqueta corta (español)"), max_length=60, blank=True)
    short_en = models.CharField(_("etiqueta corta (inglés)"), max_length=60, blank=True)
    source = models.TextField(_("fuente"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("objetivo del Pacto Mundial")
        verbose_name_plural = _("objetivos del Pacto Mundial")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return _in_language(self.title_es, self.title_en)

    @classmethod
    def resolve(cls, printed: str) -> GcmObjective | None:
        """Return the objective whose title (or a printed variant) is *printed*, or None."""
        alias = GcmObjectiveAlias.objects.matching(printed.strip().rstrip(".")).first()
        return alias.objective if alias else None

    @property
    def short(self) -> str:
        return _in_language(self.short_es, self.short_en)


class GcmObjectiveAlias(Alias):
    objective = models.ForeignKey(GcmObjective, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name = _("variante impresa del título")
        verbose_name_plural = _("variantes impresas del título")
        constraints = [models.UniqueConstraint(fields=["folded"], name="unique_objective_alias")]


class Institution(models.Model):
    """A body that reports programs or coordinates practices."""

    class Type(models.TextChoices):
        DEPENDENCIA = "dependencia", _("Dependencia")
        DESCONCENTRADO = "organo_desconcentrado", _("Órgano desconcentrado")
        AUTONOMO = "organismo_autonomo", _("Organismo autónomo")
        PARAESTATAL = "entidad_paraestatal", _("Entidad paraestatal")
        OFICINA_ESTATAL = "oficina_estatal_migrantes", _("Oficina estatal de atención a migrantes")
        COORDINACION = "instancia_coordinacion", _("Instancia de coordinación")
        GOBIERNO_ESTATAL = "gobierno_estatal", _("Gobierno estatal")
        GOBIERNO_MUNICIPAL = "gobierno_municipal", _("Gobierno municipal")
        LEGISLATIVO = "poder_legislativo", _("Poder legislativo")
        JUDICIAL = "poder_judicial", _("Poder judicial")
        INTERNACIONAL = "organismo_internacional", _("Organismo internacional")
        SOCIEDAD_CIVIL = "sociedad_civil", _("Sociedad civil")
        ACADEMIA = "academia", _("Academia")

    class Order(models.TextChoices):
        FEDERAL = "federal", _("Federal")
        ESTATAL = "estatal", _("Estatal")
        MUNICIPAL = "municipal", _("Municipal")
        INTERNACIONAL = "internacional", _("Internacional")
        NO_GUBERNAMENTAL = "no_gubernamental", _("No gubernamental")

    acronym = models.CharField(_("siglas"), max_length=40, unique=True)
    name = models.CharField(_("nombre"), max_length=300)
    type = models.CharField(_("tipo"), max_length=30, choices=Type.choices)
    order = models.CharField(_("orden de gobierno"), max_length=20, choices=Order.choices)
    state = optional(
        State,
        models.PROTECT,
        "institutions",
        _("entidad federativa"),
        help_text=_("Solo para oficinas y dependencias estatales o municipales."),
    )
    parent = optional("self", models.SET_NULL, "children", _("depende de"))
    source = models.TextField(_("fuente"), blank=True)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("institución")
        verbose_name_plural = _("instituciones")

    def __str__(self) -> str:
        return f"{self.acronym} — {self.name}"

    @classmethod
    def resolve(cls, printed: str) -> Institution | None:
        """Return the institution a printed acronym or name refers to, or None."""
        alias = InstitutionAlias.objects.matching(printed).select_related("institution").first()
        return alias.institution if alias else None


class InstitutionAlias(Alias):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        verbose_name = _("variante del nombre o siglas")
        verbose_name_plural = _("variantes del nombre o siglas")
        constraints = [models.UniqueConstraint(fields=["folded"], name="unique_institution_alias")]


class PopulationGroup(models.Model):
    """A group of people in mobility that programs address."""

    code = models.SlugField(_("clave"), max_length=60, unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=150)
    name_en = models.CharField(_("nombre (inglés)"), max_length=150, blank=True)
    description_es = models.TextField(_("descripción"), blank=True)
    keywords = models.JSONField(
        _("palabras clave"),
        default=list,
        blank=True,
        help_text=_(
            "Frases que, en el título o la descripción de un programa importado, indican "
            "que atiende a este grupo; se comparan sin acentos ni mayúsculas y por palabras "
            "completas. Un * al final de una palabra acepta cualquier terminación "
            "(«refugiad*»); una frase que empieza con - se descarta antes de buscar las "
            "demás («-Comisión Mexicana de Ayuda a Refugiados»)."
        ),
    )
    source = models.TextField(_("fuente"), blank=True)

    class Meta:
        ordering = ["name_es"]
        verbose_name = _("grupo de población")
        verbose_name_plural = _("grupos de población")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_es, self.name_en)


class Pillar(models.Model):
    """A pillar of the Modelo Mexicano de Movilidad Humana."""

    number = models.PositiveSmallIntegerField(_("número"), unique=True)
    name_es = models.CharField(_("nombre (español)"), max_length=200)
    name_en = models.CharField(_("nombre (inglés)"), max_length=200, blank=True)
    description_es = models.TextField(_("descripción"), blank=True)
    source = models.TextField(_("fuente"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("pilar del Modelo Mexicano de Movilidad Humana")
        verbose_name_plural = _("pilares del Modelo Mexicano de Movilidad Humana")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return _in_language(self.name_es, self.name_en)


class Sdg(models.Model):
    """One of the 17 Sustainable Development Goals (ODS)."""

    number = models.PositiveSmallIntegerField(_("número"), unique=True)
    name_es = models.CharField(_("nombre corto (español)"), max_length=120)
    name_en = models.CharField(_("nombre corto (inglés)"), max_length=120, blank=True)
    title_es = models.TextField(_("enunciado (español)"), blank=True)
    title_en = models.TextField(_("enunciado (inglés)"), blank=True)
    source = models.TextField(_("fuente"), blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("objetivo de desarrollo sostenible")
        verbose_name_plural = _("objetivos de desarrollo sostenible")

    def __str__(self) -> str:
        return f"ODS {self.number}. {self.name}"

    @property
    def name(self) -> str:
        return _in_language(self.name_es, self.name_en)
