"""Who may do what in the needs registry: the one policy its pages, exports, searches and
the API ask.

- **Centres and their services** are public. Administrators edit them (the admin site).
- **A registered person** (their identity, consents, contacts, needs and referrals) is read
  and changed only by registry staff (``registry`` role) posted at the centre that holds
  the record, or at the office of that centre's state (:class:`~.models.StaffPost`).
  Nobody else: not reviewers, enlaces, council members, reporters, administrators
  without a post, other centres, API tokens of other roles or visitors. What is hidden
  answers 404 like what does not exist.
- **A referral** is also seen by the staff of the centre that receives it, with only the
  identity its sharing consent allowed (``Referral.shared``); they accept it, mark it
  attended or reject it. The holder's staff follow it up and close it.
- **The access log** is read by the data officers (``StaffPost.data_officer``) of the
  centres or state they are posted at.
- **Aggregates** (protected counts, no identity) are public once computed; staff and
  reviewers compute them on demand.
- Nobody exports identities in bulk: the only export is a person's own record (ARCO).

``can(user, action, obj)``: a :class:`~.models.Person` for ``view_person``,
``change_person``, ``refer``; a :class:`~.models.Referral` for ``view_referral``
(:func:`receives` tells whether a user works at the centre that receives it); a
:class:`~.models.Centre` (or None: any of theirs) for ``register``; nothing for ``work``,
``read_log``, ``aggregate``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observatorio.accounts.models import Role, Scope
from observatorio.accounts.permissions import REVIEW_ROLES
from observatorio.lib.policy import ALLOW, Decision, deny

from .models import Centre, Person, StaffPost
from .models_care import AccessLog, Referral

SIGN_IN = _("Inicie sesión para continuar.")
NOT_STAFF = _("Solo el personal del registro adscrito a un centro puede consultar el registro.")
NOT_YOURS = _("Este registro no pertenece a su centro ni a su oficina estatal.")
ANONYMISED = _("El registro está anonimizado: ya no se puede modificar.")


class Posts:
    """The centres a user works at today: by centre, by state office, as data officer."""

    def __init__(self, user):
        self.centres: frozenset[int] = frozenset()
        self.officer_centres: frozenset[int] = frozenset()
        if not getattr(user, "is_authenticated", False) or not Scope.of(user).has(Role.REGISTRY):
            return
        today = timezone.localdate()
        posts = StaffPost.objects.filter(
            Q(user=user), Q(started_on__lte=today), Q(ended_on__isnull=True) | Q(ended_on__gt=today)
        )
        centres, officer = set(), set()
        for post in posts:
            found = (
                {post.centre_id}
                if post.centre_id
                else set(Centre.objects.filter(state_id=post.state_id).values_list("pk", flat=True))
            )
            centres |= found
            if post.data_officer:
                officer |= found
        self.centres, self.officer_centres = frozenset(centres), frozenset(officer)

    @classmethod
    def of(cls, user) -> Posts:
        cached = getattr(user, "_registry_posts", None)
        if cached is None:
            cached = cls(user)
            if getattr(user, "is_authenticated", False):
                user._registry_posts = cached
        return cached


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _work(user, obj) -> Decision:
    return ALLOW if Posts.of(user).centres else deny(NOT_STAFF)


def _holds(user, person: Person) -> Decision:
    if not Posts.of(user).centres:
        return deny(NOT_STAFF)
    return ALLOW if person.centre_id in Posts.of(user).centres else deny(NOT_YOURS)


def _change(user, person: Person) -> Decision:
    decision = _holds(user, person)
    if decision and person.anonymised:
        return deny(ANONYMISED, conflict=True)
    return decision


def _register(user, centre: Centre | None) -> Decision:
    centres = Posts.of(user).centres
    if not centres:
        return deny(NOT_STAFF)
    if centre is not None and centre.pk not in centres:
        return deny(_("No está adscrito a ese centro."))
    return ALLOW


def receives(user, referral: Referral) -> bool:
    """Whether *user* works at the centre whose service receives *referral*."""
    return bool(referral.service_id) and referral.service.centre_id in Posts.of(user).centres


def _view_referral(user, referral: Referral) -> Decision:
    if _holds(user, referral.person) or receives(user, referral):
        return ALLOW
    return deny(NOT_YOURS)


def _read_log(user, obj) -> Decision:
    if Posts.of(user).officer_centres:
        return ALLOW
    return deny(_("Solo la persona responsable de protección de datos revisa la bitácora."))


def _aggregate(user, obj) -> Decision:
    if Posts.of(user).centres or Scope.of(user).has(*REVIEW_ROLES):
        return ALLOW
    return deny(_("Solo el personal del registro y la UPM calculan las cifras."))


RULES = {
    "work": _work,
    "view_person": _holds,
    "change_person": _change,
    "refer": _change,
    "register": _register,
    "view_referral": _view_referral,
    "read_log": _read_log,
    "aggregate": _aggregate,
}


def can(user, action: str, obj=None) -> Decision:
    """Decide whether *user* may do *action* with *obj* (see the module's docstring)."""
    if action not in RULES:
        raise KeyError(f"No permission rule for action {action!r}")
    if not _signed_in(user):
        return deny(SIGN_IN)
    return RULES[action](user, obj)


def visible(user, queryset: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """The people *user* may read: those held by the centres they are posted at."""
    qs = Person.objects.all() if queryset is None else queryset
    centres = Posts.of(user).centres if _signed_in(user) else frozenset()
    return qs.filter(centre__in=centres) if centres else qs.none()


def referrals_for(user) -> QuerySet[Referral]:
    """The referrals *user* may read: of their people, or received by their centres."""
    centres = Posts.of(user).centres if _signed_in(user) else frozenset()
    if not centres:
        return Referral.objects.none()
    return Referral.objects.filter(Q(person__centre__in=centres) | Q(service__centre__in=centres))


def log_for(user) -> QuerySet[AccessLog]:
    """The access log a data officer reviews: their centres' entries and their staff's."""
    centres = Posts.of(user).officer_centres if _signed_in(user) else frozenset()
    if not centres:
        return AccessLog.objects.none()
    return AccessLog.objects.filter(centre__in=centres)


def _refused(user, what: str, ref: str, centre_id, reason: str) -> None:
    AccessLog.objects.create(
        user=user if _signed_in(user) else None,
        action=AccessLog.Action.REFUSED,
        what=what,
        person_ref=ref,
        centre_id=centre_id,
        detail=str(reason)[:200],
    )


def person_or_404(user, ref, action: str = "view_person") -> Person:
    """The person *ref* if *user* may do *action*; 404 otherwise, as for one that does not
    exist. A refused attempt on a record that exists is written to the access log."""
    person = Person.objects.select_related("centre").filter(ref=ref).first()
    if person is None:
        raise Http404
    decision = can(user, action, person)
    if not decision and not decision.conflict:
        _refused(user, "persona", str(person.ref), person.centre_id, decision.reason)
        raise Http404
    return person


def referral_or_404(user, pk: int, action: str = "view_referral") -> Referral:
    referral = (
        Referral.objects.select_related(
            "person", "person__centre", "service", "service__centre", "need"
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    decision = can(user, "view_referral", referral)
    if not decision:
        _refused(
            user,
            "canalizacion",
            str(referral.person.ref),
            referral.person.centre_id,
            decision.reason,
        )
        raise Http404
    return referral


def refuse_and_log(user, what: str, reason, ref: str = "") -> None:
    """Write a refused attempt on a page (for one record: its *ref*, as the address named
    it; the centre when the record exists)."""
    person = Person.objects.filter(ref=ref).only("centre_id").first() if ref else None
    _refused(user, what[:40], ref[:36], person.centre_id if person else None, reason)
