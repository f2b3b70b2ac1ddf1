"""What changes the registry: small functions, each one transaction that asks the policy
once, checks the input (:mod:`.checks`), writes the access log and raises
:class:`~.checks.Refused` (Spanish messages, nothing written) when it cannot be done."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from observatorio.catalog.models import Institution

from . import audit, checks, permissions
from .checks import Refused
from .models import Centre, Consent, FamilyLink, Need, Person, Service, age_group
from .models_care import (
    AccessLog,
    Contact,
    DuplicateDismissal,
    IdentifiedNeed,
    Referral,
    ReferralNote,
)

Action = AccessLog.Action
Status = Referral.Status
MAX_NOTE = 2000
MAX_NEEDS = 20
#: Days a referral has, unless staff set its date.
DEFAULT_DUE_DAYS = 7


def _allow(user, action: str, obj=None) -> None:
    decision = permissions.can(user, action, obj)
    if not decision:
        raise Refused(decision.reason)


def consent_in_force(person: Person, purpose: str) -> bool:
    latest = person.consents.filter(purpose=purpose).order_by("-at", "-pk").first()
    return bool(latest and latest.granted)


def _needs(codes) -> list[Need]:
    codes = [str(c).strip() for c in codes or [] if str(c).strip()]
    if len(codes) > MAX_NEEDS:
        raise Refused(
            {
                "needs": [
                    _("Registre como máximo %(n)d necesidades por atención.") % {"n": MAX_NEEDS}
                ]
            }
        )
    found = {n.code: n for n in Need.objects.filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        # A code is echoed only when it looks like one (a shifted column is never repeated).
        code = unknown[0] if re.fullmatch(r"[a-z_]{1,40}", unknown[0]) else "…"
        raise Refused({"needs": [_("Necesidad desconocida: «%(code)s».") % {"code": code}]})
    return [found[c] for c in dict.fromkeys(codes)]


def _note_text(text) -> str:
    text = str(text or "").strip()
    if len(text) > MAX_NOTE:
        raise Refused({"notes": [_("La nota admite hasta %(n)d caracteres.") % {"n": MAX_NOTE}]})
    return text


@sensitive_variables()
@transaction.atomic
def register(
    user,
    centre: Centre,
    data: dict,
    consent: dict,
    needs=(),
    *,
    on: dt.date | None = None,
    console: bool = False,
) -> Person:
    """Register a person at *centre* with their consents and the needs found at this first
    contact. A child without company is referred at once to the child-protection service.

    *console*: the transfer from another platform run at the server's console
    (``registry_import`` without ``--user``): no user, no policy to ask; logged as such."""
    if not console:
        _allow(user, "register", centre)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise Refused({"on": [_("La fecha del registro no puede ser posterior a hoy.")]})
    errors: dict[str, list[str]] = {}
    try:
        given = checks.consents(consent)
    except Refused as refused:
        errors.update(refused.errors)
    try:
        clean = checks.identity(data, today=day)
    except Refused as refused:
        errors.update(refused.errors)
    if errors:
        raise Refused(errors)
    if clean["phone"] and not given["seguimiento"]:
        raise Refused(
            {"phone": [_("Sin consentimiento para dar seguimiento no se guarda un teléfono.")]}
        )
    found = _needs(needs)
    person = Person(centre=centre, registered_on=day, registered_by=user, **clean)
    person.age_group = age_group(person.age(day))
    person.index()
    person.save()
    Consent.objects.bulk_create(
        Consent(person=person, purpose=p, granted=g, by=user) for p, g in given.items()
    )
    contact = Contact.objects.create(
        person=person, centre=centre, on=day, by=user, first=True, age_group=person.age_group
    )
    IdentifiedNeed.objects.bulk_create(IdentifiedNeed(contact=contact, need=n) for n in found)
    if person.guardian == Person.Guardian.AUTHORITY:
        _refer_child(user, person, day)
    audit.note(user, Action.CREATE, "persona", person=person, detail="consola" if console else "")
    return person


def _refer_child(user, person: Person, day: dt.date) -> None:
    """A child travelling alone is referred to the DIF system (LGDNNA), consent or not:
    the referral shares nothing but the need."""
    need = Need.objects.get(code="proteccion_nna")
    service = Service.objects.filter(centre=person.centre, need=need, active=True).first()
    Referral.objects.create(
        person=person,
        need=need,
        from_centre=person.centre,
        service=service,
        institution=None if service else Institution.objects.filter(acronym="SNDIF").first(),
        due_on=day + dt.timedelta(days=1),
        sent_on=day,
        age_group=person.age_group,
        by=user,
    )


@sensitive_variables()
@transaction.atomic
def record_contact(
    user, person: Person, needs, notes: str = "", *, on: dt.date | None = None
) -> Contact:
    _allow(user, "change_person", person)
    day = on or timezone.localdate()
    if day > timezone.localdate():
        raise Refused({"on": [_("La fecha de la atención no puede ser posterior a hoy.")]})
    found = _needs(needs)
    if not found:
        raise Refused({"needs": [_("Marque al menos una necesidad identificada.")]})
    centre = person.centre
    contact = Contact.objects.create(
        person=person,
        centre=centre,
        on=day,
        by=user,
        age_group=age_group(person.age(day)),
        notes=_note_text(notes),
    )
    IdentifiedNeed.objects.bulk_create(IdentifiedNeed(contact=contact, need=n) for n in found)
    audit.note(user, Action.CHANGE, "atencion", person=person)
    return contact


@sensitive_variables()
@transaction.atomic
def refer(
    user,
    person: Person,
    need: str,
    *,
    service: Service | None = None,
    institution: Institution | None = None,
    due_on: dt.date | None = None,
    shared=(),
    note: str = "",
) -> Referral:
    """Refer *person* for *need* to a service of a centre or to an outside institution.
    Refused without the sharing consent in force; shares only the identity chosen."""
    _allow(user, "refer", person)
    if not consent_in_force(person, Consent.Purpose.SHARING):
        raise Refused(
            {
                "shared": [
                    _(
                        "La persona no ha consentido compartir sus datos: no se puede "
                        "canalizar. Registre primero su consentimiento."
                    )
                ]
            }
        )
    [found] = _needs([need]) or [None]
    if (service is None) == (institution is None):
        raise Refused(
            {
                "service": [
                    _("Elija un servicio de un centro o una institución externa (uno de los dos).")
                ]
            }
        )
    if service is not None and not service.active:
        raise Refused({"service": [_("Ese servicio ya no se ofrece.")]})
    shared = list(dict.fromkeys(str(s) for s in shared or []))
    wrong = [s for s in shared if s not in Referral.SHAREABLE]
    if wrong:
        raise Refused(
            {"shared": [_("Dato que no se puede compartir: «%(name)s».") % {"name": wrong[0][:30]}]}
        )
    today = timezone.localdate()
    due_on = due_on or today + dt.timedelta(days=DEFAULT_DUE_DAYS)
    if due_on < today:
        raise Refused({"due_on": [_("La fecha compromiso no puede ser anterior a hoy.")]})
    referral = Referral.objects.create(
        person=person,
        need=found,
        from_centre=person.centre,
        service=service,
        institution=institution,
        shared=shared,
        due_on=due_on,
        age_group=age_group(person.age(today)),
        by=user,
    )
    if note:
        ReferralNote.objects.create(
            referral=referral, by=user, status=Status.SENT, text=_note_text(note)
        )
    audit.note(user, Action.CHANGE, "canalizacion", person=person)
    return referral


#: Who moves a referral to what: the receiving centre (or, for an outside institution, the
#: holder who hears back) accepts, attends, rejects; the holder closes.
RECEIVED = {
    Status.SENT: {Status.ACCEPTED, Status.ATTENDED, Status.REJECTED},
    Status.ACCEPTED: {Status.ATTENDED, Status.REJECTED},
}
CLOSABLE = {Status.SENT, Status.ACCEPTED, Status.ATTENDED, Status.REJECTED}


@transaction.atomic
def update_referral(user, referral: Referral, status: str, note: str = "") -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("person", "service")
        .get(pk=referral.pk)
    )
    text = _note_text(note)
    if status not in Status.values:
        raise Refused({"status": [_("Elija un estado de la lista.")]})
    holder = bool(permissions.can(user, "view_person", referral.person))
    receiver = permissions.receives(user, referral)
    if status == Status.CLOSED:
        if not holder:
            raise Refused(_("Solo el centro que canalizó cierra la canalización."))
        if referral.status not in CLOSABLE:
            raise Refused(_("La canalización ya está cerrada."))
    elif status == referral.status:
        if not (holder or receiver):
            raise Refused(permissions.NOT_YOURS)
        if not text:
            raise Refused({"notes": [_("Escriba la nota de seguimiento.")]})
    else:
        allowed = RECEIVED.get(referral.status, set())
        acts = receiver or (holder and referral.service_id is None)
        if not acts:
            raise Refused(
                _("Solo el centro que recibe la canalización la acepta, atiende o rechaza.")
            )
        if status not in allowed:
            raise Refused(
                {
                    "status": [
                        _("Una canalización «%(now)s» no puede pasar a «%(to)s».")
                        % {"now": referral.get_status_display(), "to": Status(status).label}
                    ]
                }
            )
    if referral.person.anonymised and text:
        raise Refused(_("El registro está anonimizado: ya no admite notas."))
    referral.status = status
    if status == Status.ATTENDED:
        referral.attended_on = timezone.localdate()
    referral.save()
    ReferralNote.objects.create(referral=referral, by=user, status=status, text=text)
    audit.note(
        user, Action.CHANGE, "canalizacion", person=referral.person, centre=referral.person.centre
    )
    return referral


@transaction.atomic
def set_consent(user, person: Person, purpose: str, granted: bool) -> Person:
    """Record a consent given or withdrawn. Withdrawing the registration's anonymises the
    record (its counts stay, with no identity)."""
    if purpose not in Consent.Purpose.values:
        raise Refused(_("Finalidad desconocida."))
    # A consent can always be withdrawn, even from an anonymised record.
    _allow(user, "view_person" if not granted else "change_person", person)
    Consent.objects.create(person=person, purpose=purpose, granted=granted, by=user)
    if purpose == Consent.Purpose.FOLLOW_UP and not granted:
        person.phone = ""
        person.index()
        person.save()
    audit.note(
        user,
        Action.CHANGE,
        "consentimiento",
        person=person,
        detail=f"{purpose}:{'si' if granted else 'no'}",
    )
    if purpose == Consent.Purpose.REGISTRATION and not granted:
        anonymise(user, person)
    return person


@sensitive_variables()
@transaction.atomic
def rectify(user, person: Person, data: dict) -> Person:
    """Correct a person's identity (ARCO rectification)."""
    _allow(user, "change_person", person)
    clean = checks.identity(data, today=timezone.localdate())
    if clean["phone"] and not consent_in_force(person, Consent.Purpose.FOLLOW_UP):
        raise Refused(
            {"phone": [_("Sin consentimiento para dar seguimiento no se guarda un teléfono.")]}
        )
    for field, value in clean.items():
        setattr(person, field, value)
    person.index()
    person.save()
    audit.note(user, Action.CHANGE, "persona", person=person, detail="rectificacion")
    return person


@transaction.atomic
def anonymise(user, person: Person) -> Person:
    """Erase every identity value (ARCO cancellation): names, dates, documents, contacts,
    relatives, notes and what referrals shared. Sex, age group, nationality, country of
    birth, population group, contacts, needs and referrals stay, so the counts stay."""
    _allow(user, "view_person", person)
    if person.anonymised:
        return person
    for field in (
        "given_names",
        "surnames",
        "birth_date",
        "curp",
        "phone",
        "guardian_name",
        "authority",
    ):
        setattr(person, field, "")
    person.declared_age = None
    person.languages = []
    person.index()
    person.anonymised_at = timezone.now()
    person.save()
    FamilyLink.objects.filter(person=person).delete()
    FamilyLink.objects.filter(relative=person).update(relative=None)
    Contact.objects.filter(person=person).update(notes="")
    ReferralNote.objects.filter(referral__person=person).update(text="")
    Referral.objects.filter(person=person).update(shared=[])
    audit.note(user, Action.ANONYMISE, "persona", person=person)
    return person


@sensitive_variables()
def export_record(user, person: Person) -> dict:
    """A person's own record, everything held on them (ARCO access), as plain data."""
    _allow(user, "view_person", person)
    record = {
        "referencia": str(person.ref),
        "centro": person.centre.name,
        "registrado_el": person.registered_on.isoformat(),
        "nombre": person.given_names,
        "apellidos": person.surnames,
        "fecha_nacimiento": person.birth_date,
        "edad_declarada": person.declared_age,
        "sexo": person.sex,
        "nacionalidad": person.nationality,
        "pais_nacimiento": person.country_of_birth,
        "poblacion": person.population,
        "idiomas": person.languages,
        "curp": person.curp,
        "telefono": person.phone,
        "sin_documentos": person.without_documents,
        "acompanante": person.get_guardian_display() if person.guardian else "",
        "nombre_acompanante": person.guardian_name,
        "autoridad": person.authority,
        "anonimizado": bool(person.anonymised_at),
        "consentimientos": [
            {"finalidad": c.purpose, "otorgado": c.granted, "fecha": c.at.isoformat()}
            for c in person.consents.order_by("at", "pk")
        ],
        "familiares": [
            {"parentesco": f.relation, "nombre": f.relative_name, "busca": f.searching}
            for f in person.family.all()
        ],
        "atenciones": [
            {
                "fecha": c.on.isoformat(),
                "centro": c.centre.name,
                "notas": c.notes,
                "necesidades": [n.need.code for n in c.needs.all()],
            }
            for c in person.contacts.select_related("centre")
            .prefetch_related("needs__need")
            .order_by("on", "pk")
        ],
        "canalizaciones": [
            {
                "necesidad": r.need.code,
                "destino": r.destination,
                "estado": r.status,
                "enviada": r.sent_on.isoformat(),
                "compromiso": r.due_on.isoformat(),
                "compartido": r.shared,
                "seguimiento": [
                    {"fecha": n.at.isoformat(), "estado": n.status, "nota": n.text}
                    for n in r.notes.all()
                ],
            }
            for r in person.referrals.select_related(
                "need", "service__centre", "institution"
            ).order_by("sent_on", "pk")
        ],
    }
    audit.note(user, Action.EXPORT, "persona", person=person)
    return record


@sensitive_variables()
@transaction.atomic
def add_relative(
    user,
    person: Person,
    relation: str,
    name: str = "",
    relative: Person | None = None,
    searching: bool = False,
) -> FamilyLink:
    _allow(user, "change_person", person)
    if relation not in FamilyLink.Relation.values:
        raise Refused({"relation": [_("Elija el parentesco de la lista.")]})
    name = checks._text(name)
    if len(name) > checks.MAX_NAME:
        raise Refused(
            {"relative_name": [_("Escriba como máximo %(n)d caracteres.") % {"n": checks.MAX_NAME}]}
        )
    if relative is not None and not permissions.can(user, "view_person", relative):
        relative = None
    if not name and relative is None:
        raise Refused({"relative_name": [_("Escriba el nombre del familiar.")]})
    link = FamilyLink.objects.create(
        person=person, relation=relation, relative_name=name, relative=relative, searching=searching
    )
    audit.note(user, Action.CHANGE, "familiar", person=person)
    return link


@sensitive_variables()
def find(
    user, *, curp: str = "", phone: str = "", names: str = "", birth_date: str = ""
) -> list[Person]:
    """The people *user* may read that match exactly, through the blind indexes; the search
    is logged without what was searched."""
    _allow(user, "work")
    from . import crypto

    wanted = []
    if curp.strip():
        wanted.append(("curp_index", crypto.blind("curp", curp)))
    if phone.strip():
        wanted.append(("phone_index", crypto.blind("phone", crypto.phone_digits(phone))))
    if names.strip() and birth_date.strip():
        wanted.append(
            (
                "identity_index",
                crypto.blind("identity", f"{crypto.normal(names)}|{birth_date.strip()}"),
            )
        )
    found: list[Person] = []
    for field, value in wanted:
        if value:
            found += permissions.visible(user).filter(**{field: value}).select_related("centre")
    found = list({p.pk: p for p in found}.values())
    audit.note(user, Action.SEARCH, "busqueda", detail=f"{len(found)} resultados")
    return found


def possible_duplicates(user, limit: int = 100) -> list[dict]:
    """Records of *user*'s centres that share a blind index with another record (same CURP,
    same phone, or same name and birth date), at any centre: a suggestion, never a merge.
    Of a record at a centre the user does not work at, only the centre is said."""
    from django.db.models import Count

    mine = permissions.visible(user)
    pairs: dict[tuple[int, int], dict] = {}
    for field, label in (
        ("curp_index", _("misma CURP")),
        ("identity_index", _("mismo nombre y fecha de nacimiento")),
        ("phone_index", _("mismo teléfono")),
    ):
        shared = (
            Person.objects.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list(field, flat=True)
        )
        keys = set(mine.filter(**{f"{field}__in": shared}).values_list(field, flat=True)[:limit])
        if not keys:
            continue
        group: dict[str, list[Person]] = {}
        members = Person.objects.filter(**{f"{field}__in": keys}).select_related("centre")
        for person in members.order_by("pk"):
            group.setdefault(getattr(person, field), []).append(person)
        for members in group.values():
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    key = (min(a.pk, b.pk), max(a.pk, b.pk))
                    pairs.setdefault(key, {"first": a, "second": b, "reasons": []})[
                        "reasons"
                    ].append(label)
    dismissed = set(
        DuplicateDismissal.objects.filter(first_id__in=[k[0] for k in pairs]).values_list(
            "first_id", "second_id"
        )
    )
    visible_ids = set(
        mine.filter(pk__in={i for k in pairs for i in k}).values_list("pk", flat=True)
    )
    found = []
    for key, pair in sorted(pairs.items()):
        if key in dismissed:
            continue
        pair["first_visible"] = pair["first"].pk in visible_ids
        pair["second_visible"] = pair["second"].pk in visible_ids
        found.append(pair)
    audit.note(user, Action.READ, "duplicados", detail=f"{len(found)} sugerencias")
    return found[:limit]


@transaction.atomic
def dismiss_duplicate(user, first: Person, second: Person) -> None:
    if not (
        permissions.can(user, "view_person", first) or permissions.can(user, "view_person", second)
    ):
        raise Refused(permissions.NOT_YOURS)
    a, b = sorted((first, second), key=lambda p: p.pk)
    DuplicateDismissal.objects.get_or_create(first=a, second=b, defaults={"by": user})
    audit.note(user, Action.CHANGE, "duplicado", person=a, detail="descartado")
