"""Roles of users, each scoped to a state or an institution, with their history."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.catalog.models import Institution, State
from observatorio.lib.relations import optional, owner


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

    user = owner("memberships")
    role = models.CharField(_("función"), max_length=20, choices=Role.choices)
    state = optional(State, models.PROTECT, "memberships", _("entidad federativa"))
    institution = optional(Institution, models.PROTECT, "memberships", _("institución"))
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


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A user's key for the REST API (``Authorization: Token <key>``).

    Only the SHA-256 of the key is stored, with its first characters to tell keys apart;
    the key itself is shown once, when it is issued. Whoever holds it acts as its user,
    with that user's roles and scope (``Scope.of``), until it is revoked.
    """

    #: Every key starts with this, so a leaked one is easy to recognise.
    KEY_PREFIX = "obs_"
    #: Characters of the key kept in clear (the prefix and 8 more).
    VISIBLE = 12
    #: Active keys a user may hold at once.
    MAX_ACTIVE = 10

    user = owner("api_tokens")
    name = models.CharField(
        _("nombre"), max_length=100, help_text=_("Para qué o dónde se usa: «script de carga».")
    )
    prefix = models.CharField(_("inicio de la clave"), max_length=VISIBLE, editable=False)
    key_hash = models.CharField(
        _("huella SHA-256 de la clave"), max_length=64, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("creado"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("último uso"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revocado"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("token de la API")
        verbose_name_plural = _("tokens de la API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """Create a token for *user*; return it and its key (shown once, never stored)."""
        name = " ".join((name or "").split())
        if not name:
            raise ValidationError({"name": _("Escriba un nombre para el token.")})
        if len(name) > 100:
            raise ValidationError({"name": _("El nombre admite hasta 100 caracteres.")})
        if cls.objects.active().filter(user=user).count() >= cls.MAX_ACTIVE:
            raise ValidationError(
                _("Ya tiene %(n)s tokens activos: revoque alguno antes de crear otro.")
                % {"n": cls.MAX_ACTIVE}
            )
        key = cls.KEY_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, prefix=key[: cls.VISIBLE], key_hash=cls.digest(key)
        )
        return token, key

    @classmethod
    def lookup(cls, key: str) -> ApiToken | None:
        """The active token whose key is *key*, of an active user; otherwise None.

        Read from the database on every call, so a revocation takes effect at once.
        """
        if not key.startswith(cls.KEY_PREFIX) or len(key) > 200:
            return None
        token = cls.objects.active().select_related("user").filter(key_hash=cls.digest(key)).first()
        if token is None or not token.user.is_active:
            return None
        return token

    def revoke(self) -> bool:
        """Revoke the token now; False if it already was."""
        updated = ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        self.refresh_from_db(fields=["revoked_at"])
        return bool(updated)

    def touch(self, every: int = 60) -> None:
        """Record that the token was used (at most one write every *every* seconds)."""
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() >= every:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
