"""Roles of users, each scoped to a state or an institution, with their history."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import Institution, State


class Role(models.TextChoices):
    LIAISON = "enlace", _("Enlace estatal")
    REPORTER = "reporter", _("Informante institucional")
    REVIEWER = "reviewer", _("Revisor (UPM)")
    COUNCIL = "council", _("Integrante de consejo u observador")
    REGISTRY = "registry", _("Personal del registro")
    ADMIN = "admin", _("Administrador")


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None) -> MembershipQuerySet:
        """Memberships in force on *on* (today by default)."""
        day = on or timezone.localdate()
        return self.filter(Q(started_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    def not_ended(self, on=None) -> MembershipQuerySet:
        """Memberships not yet ended on *on* (today by default): current or still to start."""
        day = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))

    def liaison_history(self, state) -> MembershipQuerySet:
        """The enlaces of *state* (a State or its pk), former and current, oldest first."""
        return (
            self.filter(role=Role.LIAISON, state=state)
            .select_related("user", "state")
            .order_by("started_on", "ended_on", "pk")
        )


class Membership(models.Model):
    """A user's role, in force from one date to another, scoped to a state or institution."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("usuario"),
    )
    role = models.CharField(_("función"), max_length=20, choices=Role.choices)
    state = models.ForeignKey(
        State,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("entidad federativa"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("institución"),
    )
    started_on = models.DateField(_("desde"), default=timezone.localdate)
    ended_on = models.DateField(_("hasta"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__username", "-started_on"]
        verbose_name = _("función de usuario")
        verbose_name_plural = _("funciones de usuario")
        constraints = [
            # An enlace speaks for one state; a reporter for one institution.
            models.CheckConstraint(
                condition=~Q(role="enlace") | Q(state__isnull=False, institution__isnull=True),
                name="liaison_is_scoped_to_a_state",
            ),
            models.CheckConstraint(
                condition=~Q(role="reporter") | Q(institution__isnull=False),
                name="reporter_is_scoped_to_an_institution",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_it_starts",
            ),
            # One current enlace per state; former enlaces stay as history.
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(role="enlace", ended_on__isnull=True),
                name="one_current_liaison_per_state",
                violation_error_message=_(
                    "Esta entidad federativa ya tiene un enlace vigente: termine primero su "
                    "función (acción «Terminar hoy») y después registre al nuevo enlace."
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.state or self.institution or _("sin ámbito")
        return f"{self.user} · {self.get_role_display()} · {scope}"

    @property
    def is_current(self) -> bool:
        """Whether the membership is in force today."""
        day = timezone.localdate()
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)

    def end(self, on=None) -> bool:
        """End the membership on *on* (today by default); False if it had already ended.

        The record stays as history. A membership that has not started yet ends on its
        start date, so it is never in force.
        """
        day = on or timezone.localdate()
        if self.ended_on is not None and self.ended_on <= day:
            return False
        self.ended_on = max(day, self.started_on)
        self.save(update_fields=["ended_on"])
        return True

    def clean(self):
        if self.role == Role.LIAISON and (self.state is None or self.institution is not None):
            raise ValidationError(_("Un enlace estatal se asigna a una entidad federativa."))
        if self.role == Role.REPORTER and self.institution is None:
            raise ValidationError(_("Un informante institucional se asigna a una institución."))
        if self.ended_on and self.ended_on < self.started_on:
            raise ValidationError(_("La fecha de término es anterior a la de inicio."))


@dataclass(frozen=True)
class Scope:
    """What a user may act for today: roles, and the states and institutions of each role."""

    roles: frozenset[str] = field(default_factory=frozenset)
    states: frozenset[int] = field(default_factory=frozenset)
    institutions: frozenset[int] = field(default_factory=frozenset)
    by_role: tuple[tuple[str, int | None, int | None], ...] = ()

    @classmethod
    def of(cls, user) -> Scope:
        if user is None or not user.is_authenticated or not user.is_active:
            return cls()
        cache = getattr(user, "_observatorio_scope", None)
        if cache is not None:
            return cache
        memberships = list(Membership.objects.current().filter(user=user))
        roles = {m.role for m in memberships}
        if user.is_superuser:
            roles.add(Role.ADMIN)
        scope = cls(
            roles=frozenset(roles),
            states=frozenset(m.state_id for m in memberships if m.state_id),
            institutions=frozenset(m.institution_id for m in memberships if m.institution_id),
            by_role=tuple((m.role, m.state_id, m.institution_id) for m in memberships),
        )
        # One scope per request: the user object lives as long as the request.
        user._observatorio_scope = scope
        return scope

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def states_for(self, role: str) -> frozenset[int]:
        return frozenset(s for r, s, _i in self.by_role if r == role and s)

    def institutions_for(self, role: str) -> frozenset[int]:
        return frozenset(i for r, _s, i in self.by_role if r == role and i)
