"""The registry benchmark's database and data set (issue 19): create, migrate and fill it.

A helper of ``bench/registry.py`` (the command line, the Django settings, the
measurements and what they print), which runs with ``bench/`` first on ``sys.path``
(so this module and ``harness`` import by name) and puts the checkout there too. Nothing
here imports Django or ``observatorio`` at import time: ``registry.configure`` sets the
environment and ``registry.database`` calls ``django.setup()`` before calling these
functions, which import what they need when they run.

- The synthetic people: ``People`` and the shares it draws from (shared by the fill and
  the measured registration saves), ``random_curp``, ``random_phone``.
- The database: ``create_database`` / ``drop_database`` on the server, ``prepare``
  (migrate and the part of ``bootstrap`` the registry needs), ``staff_users``.
- The fill: ``fill`` writes people, consents, contacts, identified needs and referrals
  with PostgreSQL ``COPY`` from ``fork``-ed worker processes (``fill_chunk``: plain
  psycopg, no ORM), the secondary indexes dropped meanwhile and built again after;
  ``check_sample`` reads a sample back through the ORM to check the blind indexes.

The shape of the data set is described in ``bench/registry.py``'s docstring.
"""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import random
import string
import time
import uuid

CHUNK = 10_000
NULL = "\\N"  # in COPY's text format
TABLES = (
    "registry_person",
    "registry_consent",
    "registry_contact",
    "registry_identifiedneed",
    "registry_referral",
)

# --- what the synthetic people look like ------------------------------------------------------

#: Centre code -> share of the registrations.
CENTRES = {
    "cm-tapachula-1": 0.24,
    "cm-tapachula-2": 0.20,
    "cm-huixtla": 0.12,
    "cm-acayucan": 0.10,
    "cim-leona-vicario": 0.13,
    "cim-valentina-ramirez": 0.12,
    "cim-carmen-serdan": 0.09,
}
NATIONALITIES = {
    "HND": 0.24,
    "GTM": 0.16,
    "VEN": 0.15,
    "HTI": 0.10,
    "CUB": 0.07,
    "SLV": 0.07,
    "MEX": 0.09,
    "NIC": 0.04,
    "COL": 0.03,
    "ECU": 0.03,
    "PER": 0.01,
    "CHN": 0.005,
    "IND": 0.005,
}
#: Born elsewhere than their nationality (children of migrants, long journeys).
OTHER_BIRTH = ["CHL", "BRA", "COL", "PAN", "MEX", "GTM", "USA"]
SEXES = (["mujer", "hombre", "no_especificado"], [0.45, 0.53, 0.02])
#: (youngest, oldest, share)
AGES = [(0, 11, 0.13), (12, 17, 0.07), (18, 29, 0.38), (30, 59, 0.38), (60, 80, 0.04)]
FOREIGN_POPULATIONS = (
    [
        "transito",
        "solicitantes_refugio",
        "destino",
        "necesidad_proteccion_internacional",
        "trabajadores_migrantes",
        "familias_migrantes",
        "mujeres_migrantes",
        "refugiadas",
        "victimas_delito",
        "lgbti_migrantes",
    ],
    [0.38, 0.22, 0.08, 0.07, 0.06, 0.07, 0.05, 0.03, 0.03, 0.01],
)
MEXICAN_POPULATIONS = (
    ["retorno", "repatriados", "desplazamiento_forzado_interno", "origen"],
    [0.45, 0.3, 0.15, 0.1],
)
#: Need code -> weight when identified at a contact (proteccion_nna: minors only).
NEEDS = {
    "albergue": 0.16,
    "alimentacion": 0.15,
    "documentacion": 0.12,
    "regularizacion": 0.11,
    "salud": 0.10,
    "proteccion_internacional": 0.07,
    "asesoria_juridica": 0.07,
    "empleo": 0.07,
    "salud_mental": 0.04,
    "educacion": 0.03,
    "reunificacion_familiar": 0.03,
    "programas_sociales": 0.02,
    "bancarizacion": 0.01,
    "retorno_asistido": 0.01,
}
OUTSIDE = ["COMAR", "INM", "SNDIF", "IMSS", "OIM", "ACNUR", "SRE", "SEP"]
STATUSES = (
    ["enviada", "aceptada", "atendida", "cerrada", "rechazada"],
    [0.08, 0.10, 0.42, 0.30, 0.10],
)
SHARED = (
    [[], ["nombre"], ["nombre", "fecha_nacimiento"], ["nombre", "telefono"], ["nombre", "curp"]],
    [0.3, 0.3, 0.2, 0.1, 0.1],
)
WOMEN = "María Guadalupe Ana Rosa Yesenia Daniela Fernanda Keyla Dayana Nathalie Mirlande Yuleisy \
Sofía Valeria Carmen Lucía Marisol Wendy Dania Génesis Nohemí Esther Mariela Rosmery".split()
MEN = "José Juan Carlos Luis Jean Wilson Kevin Brayan Óscar Jesús Ángel Pierre Marvin Edwin \
Alexander Franklin Héctor Darwin Yordan Reinaldo Andrés Miguel Esteban Jonás".split()
SURNAMES = "Hernández García López Martínez Rodríguez Pérez Gómez Ramírez Flores Cruz Reyes \
Morales Jean-Baptiste Joseph Pierre Castillo Mejía Álvarez Díaz Torres Rivera Orellana Zelaya \
Aguilar Maldonado Ortiz Chávez Vásquez Fuentes Escobar Louis Charles Núñez Peña Barrios Quiñónez \
Santos Méndez Lemus Guzmán Villatoro Paz Cáceres".split()
AUTHORITIES = [
    "Procuraduría de Protección de NNA de Chiapas",
    "Procuraduría Federal de Protección de NNA",
    "Procuraduría de Protección de NNA de Veracruz",
]
LANGUAGES = [
    ["criollo haitiano", "francés"],
    ["español"],
    ["español", "mam"],
    ["español", "k'iche'"],
    ["español", "garífuna"],
    ["español", "q'eqchi'"],
]
CURP_STATES = ["NE", "CS", "VZ", "CH", "BC", "TS", "DF", "OC", "GR", "MC"]
CONSONANTS = "BCDFGHJKLMNPQRSTVWXYZ"


def _age_on(birth: dt.date, day: dt.date) -> int:
    """``models.age_on`` (which needs Django set up)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _table(items, weights) -> list:
    """1,024 slots filled in proportion to *weights*: ``table[getrandbits(10)]`` draws one
    (much cheaper than ``random.choices``, which the fill would call millions of times)."""
    items, weights = list(items), list(weights)
    total = sum(weights)
    slots, acc = [], 0.0
    for item, weight in zip(items, weights, strict=True):
        acc += weight
        slots += [item] * (round(1024 * acc / total) - len(slots))
    return slots


def random_curp(rng: random.Random, birth: dt.date | None, sex: str) -> str:
    """A CURP of the official format (``checks.CURP``): random enough to be unique."""
    up = string.ascii_uppercase
    day = birth or dt.date(rng.randint(1950, 2020), rng.randint(1, 12), rng.randint(1, 28))
    pick = rng.choice
    return (
        pick(up)
        + pick("AEIOUX")
        + pick(up)
        + pick(up)
        + day.strftime("%y%m%d")
        + {"mujer": "M", "hombre": "H"}.get(sex, "X")
        + pick(CURP_STATES)
        + pick(CONSONANTS)
        + pick(CONSONANTS)
        + pick(CONSONANTS)
        + pick(up + string.digits)
        + str(rng.getrandbits(3))
    )


def random_phone(rng: random.Random, nationality: str) -> str:
    prefix = {"MEX": "+52 962", "HND": "+504 9", "GTM": "+502 5", "VEN": "+58 414"}.get(
        nationality, "+52 55"
    )
    return f"{prefix} {100 + int(rng.random() * 900)} {1000 + int(rng.random() * 9000)}"


class People:
    """Draws synthetic people: the fill and the registration saves share it."""

    def __init__(self, rng: random.Random, today: dt.date, populations: set[str]):
        self.rng = rng
        self.today = today
        self.year_start = dt.date(today.year, 1, 1)
        self.last_year = dt.date(today.year - 1, 1, 1)
        self.span = (today - self.year_start).days + 1
        self.sexes = _table(*SEXES)
        self.ages = _table([a[:2] for a in AGES], [a[2] for a in AGES])
        self.nationalities = _table(NATIONALITIES, NATIONALITIES.values())
        foreign = [(c, w) for c, w in zip(*FOREIGN_POPULATIONS, strict=True) if c in populations]
        mexican = [(c, w) for c, w in zip(*MEXICAN_POPULATIONS, strict=True) if c in populations]
        self.foreign = _table(*zip(*foreign, strict=True))
        self.mexican = _table(*zip(*mexican, strict=True))
        self.minors = [c for c in ("nna_migrantes", "nna_no_acompanados") if c in populations]
        self.needs = _table(NEEDS, NEEDS.values())
        self.anyone = WOMEN + MEN

    def registration_day(self) -> dt.date:
        random_ = self.rng.random
        if random_() < 0.85:
            return self.year_start + dt.timedelta(days=int(random_() * self.span))
        return self.last_year + dt.timedelta(days=int(random_() * 365))

    def identity(self, day: dt.date) -> dict:
        """The values ``checks.identity`` takes, already clean, plus ``age``."""
        rng = self.rng
        random_, bits, pick = rng.random, rng.getrandbits, rng.choice
        sex = self.sexes[bits(10)]
        low, high = self.ages[bits(10)]
        age = low + int(random_() * (high - low + 1))
        nationality = self.nationalities[bits(10)]
        born = nationality if random_() < 0.93 else pick(OTHER_BIRTH)
        birth = None
        declared = None
        if random_() < 0.9:
            birth = day - dt.timedelta(days=365 * age + int(random_() * 365))
            age = _age_on(birth, day)  # as Person.age() counts it
        elif random_() < 0.7:
            declared = age
        else:
            age = None
        minor = age is not None and age < 18
        guardian = guardian_name = authority = ""
        if minor:
            roll = random_()
            if roll < 0.08:
                guardian = "autoridad"
                authority = pick(AUTHORITIES)
            else:
                guardian = "madre_padre" if roll < 0.88 else "familiar"
                guardian_name = f"{pick(self.anyone)} {pick(SURNAMES)}"
        if minor and self.minors and random_() < 0.5:
            population = self.minors[-1] if guardian == "autoridad" else self.minors[0]
        else:
            population = (self.mexican if nationality == "MEX" else self.foreign)[bits(10)]
        names = WOMEN if sex == "mujer" else MEN if sex == "hombre" else self.anyone
        given = pick(names)
        if random_() < 0.4:
            given += " " + pick(names)
        surnames = pick(SURNAMES)
        if random_() < 0.9:
            surnames += " " + pick(SURNAMES)
        has_curp = random_() < (0.85 if nationality == "MEX" else 0.25)
        if nationality == "HTI":
            languages = LANGUAGES[0]
        elif random_() < 0.04:
            languages = pick(LANGUAGES[2:])
        else:
            languages = LANGUAGES[1]
        return {
            "given_names": given,
            "surnames": surnames,
            "birth_date": birth.isoformat() if birth else "",
            "declared_age": declared,
            "sex": sex,
            "nationality": nationality,
            "country_of_birth": born,
            "population": population,
            "curp": random_curp(rng, birth, sex) if has_curp else "",
            "phone": "",
            "languages": languages,
            "without_documents": random_() < 0.35,
            "minor": minor,
            "guardian": guardian,
            "guardian_name": guardian_name,
            "authority": authority,
            "age": age,
        }

    def consents(self) -> dict[str, bool]:
        random_ = self.rng.random
        return {
            "registro": True,
            "compartir": random_() < 0.85,
            "seguimiento": random_() < 0.60,
            "estadistica": random_() < 0.90,
        }

    def needs_of(self, minor: bool, unaccompanied: bool) -> list[str]:
        rng = self.rng
        count = (1, 1, 2, 2, 3, 1, 2, 2)[rng.getrandbits(3)]
        wanted = {self.needs[rng.getrandbits(10)] for _ in range(count)}
        if unaccompanied or (minor and rng.random() < 0.1):
            wanted.add("proteccion_nna")
        return sorted(wanted)


# --- the database -----------------------------------------------------------------------------


def admin(server: str):
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5)


def drop_database(server: str, name: str) -> None:
    with admin(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def create_database(server: str, name: str) -> bool:
    """Create the database if missing; True when it was created."""
    with admin(server) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{name}"')
    return not found


def prepare() -> None:
    """The part of ``bootstrap`` the registry needs (idempotent, as bootstrap is)."""
    import io

    from django.core.management import call_command

    from observatorio.indicators import catalogue

    quiet = {"verbosity": 0, "stdout": io.StringIO()}
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("load_catalogs", **quiet)
    call_command("load_coordination", commit=True, **quiet)
    catalogue.load()  # personas, servicios (load_indicators would also want the study)
    call_command("load_registry", **quiet)


def staff_users() -> dict[int, object]:
    """One registry staff user per centre (``registry`` role, posted at the centre)."""
    from django.contrib.auth import get_user_model

    from observatorio.accounts.models import Membership, Role
    from observatorio.registry.models import Centre, StaffPost

    user_model = get_user_model()
    users = {}
    for centre in Centre.objects.select_related("state").order_by("pk"):
        user, created = user_model.objects.get_or_create(username=f"bench-registro-{centre.code}")
        if created:
            user.set_unusable_password()
            user.save()
            Membership.objects.create(
                user=user, role=Role.REGISTRY, state=centre.state, started_on=dt.date(2020, 1, 1)
            )
            StaffPost.objects.create(user=user, centre=centre, started_on=dt.date(2020, 1, 1))
        users[centre.pk] = user
    return users


def catalogue_for_fill(users: dict) -> dict:
    """What the fill's worker processes need to know, as plain data."""
    from django.utils import timezone

    from observatorio.catalog.models import Institution, PopulationGroup
    from observatorio.registry.models import Centre, Contact, Need, Person, Service

    centres = {c.code: c.pk for c in Centre.objects.all()}
    needs = {n.code: n.pk for n in Need.objects.all()}
    services: dict[int, list[tuple[int, int]]] = {}
    for service_id, centre_id, need_id in Service.objects.filter(active=True).values_list(
        "pk", "centre_id", "need_id"
    ):
        services.setdefault(need_id, []).append((service_id, centre_id))
    outside = list(Institution.objects.filter(acronym__in=OUTSIDE).values_list("pk", flat=True))
    sealed = ("given_names", "surnames", "birth_date", "curp", "phone", "guardian_name")
    return {
        "today": timezone.localdate().isoformat(),
        "centres": {centres[code]: share for code, share in CENTRES.items() if code in centres},
        "needs": needs,
        "services": services,
        "outside": outside,
        "staff": {centre_id: user.pk for centre_id, user in users.items()},
        "populations": sorted(PopulationGroup.objects.values_list("code", flat=True)),
        "purposes": {
            **{f: Person._meta.get_field(f).purpose for f in (*sealed, "authority")},
            "notes": Contact._meta.get_field("notes").purpose,
        },
    }


# --- the fill (worker processes; plain psycopg and COPY) --------------------------------------

_worker: dict = {}


def _init_worker(pg_url: str, catalogue: dict) -> None:
    import psycopg

    conn = psycopg.connect(pg_url)
    # Consistent by construction: no foreign-key trigger per row; the fill is redone
    # if interrupted, so its commits need not wait for the disk.
    conn.execute("SET session_replication_role = replica")
    conn.execute("SET synchronous_commit = off")
    conn.commit()
    _worker.update(conn=conn, catalogue=catalogue)


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def _copy(cursor, table: str, columns: str, rows: list[str]) -> None:
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for start in range(0, len(rows), 5000):
            copy.write("".join(rows[start : start + 5000]))


def fill_chunk(task: tuple[int, int, int, int]) -> tuple:
    """People ``first .. first + count - 1`` and referrals from ``referral_id`` on (ids are
    fixed per person: 4 consents, up to 2 contacts of up to 3 needs each). Returns the rows
    written per table and the seconds spent generating them and in ``COPY``."""
    from observatorio.registry import crypto
    from observatorio.registry.models import age_group, age_on

    began = time.perf_counter()
    first, count, referral_id, referrals = task
    cat = _worker["catalogue"]
    rng = random.Random(first)
    random_, bits, pick = rng.random, rng.getrandbits, rng.choice
    today = dt.date.fromisoformat(cat["today"])
    people = People(rng, today, set(cat["populations"]))
    purpose = cat["purposes"]
    encrypt, blind, normal, digits = (
        crypto.encrypt,
        crypto.blind,
        crypto.normal,
        crypto.phone_digits,
    )
    centres = _table(cat["centres"], cat["centres"].values())
    need_ids = cat["needs"]
    staff = cat["staff"]
    outside = cat["outside"]
    # Where a referral for a need goes from a centre: its own service, else any centre's.
    services: dict[tuple[int, int], list[int]] = {}
    for need, offered in cat["services"].items():
        for centre in cat["centres"]:
            own = [s for s, c in offered if c == centre]
            services[need, centre] = own[:1] or [s for s, _c in offered]
    statuses = _table(*STATUSES)
    shared_json = _table([json.dumps(s) for s in SHARED[0]], SHARED[1])
    day0 = people.last_year - dt.timedelta(days=1)
    iso = {
        day0 + dt.timedelta(days=n): (day0 + dt.timedelta(days=n)).isoformat() for n in range(800)
    }
    languages_json = {id(v): json.dumps(v, ensure_ascii=False) for v in LANGUAGES}
    person_rows, consent_rows, contact_rows, need_rows, referral_rows = [], [], [], [], []
    # Per person: (id, centre, age group, contacts [(date, [need ids])], staff)
    held = []
    for pid in range(first, first + count):
        day = people.registration_day()
        person = people.identity(day)
        consent = people.consents()
        if consent["seguimiento"] and random_() < 0.9:
            person["phone"] = random_phone(rng, person["nationality"])
        centre = centres[bits(10)]
        user = staff[centre]
        group = age_group(person["age"])
        names = normal(f"{person['given_names']} {person['surnames']}")
        birth = person["birth_date"]
        stamp = f"{iso[day]} {8 + int(random_() * 10):02d}:{int(random_() * 60):02d}:00-06"
        person_rows.append(
            "\t".join(
                (
                    str(pid),
                    str(uuid.UUID(int=bits(128), version=4)),
                    iso[day],
                    encrypt(person["given_names"], purpose["given_names"]),
                    encrypt(person["surnames"], purpose["surnames"]),
                    encrypt(birth, purpose["birth_date"]),
                    _text(person["declared_age"]),
                    encrypt(person["curp"], purpose["curp"]),
                    encrypt(person["phone"], purpose["phone"]),
                    person["sex"],
                    person["nationality"],
                    person["country_of_birth"],
                    person["population"],
                    languages_json[id(person["languages"])],
                    _text(person["without_documents"]),
                    _text(person["minor"]),
                    person["guardian"],
                    encrypt(person["guardian_name"], purpose["guardian_name"]),
                    encrypt(person["authority"], purpose["authority"]),
                    group,
                    blind("curp", person["curp"]),
                    blind("phone", digits(person["phone"])),
                    blind("identity", f"{names}|{birth}") if names and birth else "",
                    "\\N",
                    stamp,
                    str(centre),
                    str(user),
                )
            )
            + "\n"
        )
        consent_id = 4 * (pid - 1)
        for j, (purpose_code, granted) in enumerate(consent.items(), start=1):
            consent_rows.append(
                f"{consent_id + j}\t{purpose_code}\t{'t' if granted else 'f'}\t{stamp}\t{user}\t"
                f"{pid}\n"
            )
        contacts = [day]
        if random_() < 0.45:
            end = today if day.year == today.year else dt.date(day.year, 12, 31)
            contacts.append(day + dt.timedelta(days=int(random_() * ((end - day).days + 1))))
        born = dt.date.fromisoformat(birth) if birth else None
        seen = []
        minor, alone = person["minor"], person["guardian"] == "autoridad"
        for j, on in enumerate(contacts):
            contact_id = 2 * (pid - 1) + j + 1
            if j == 0:
                on_group = group
            elif born is not None:
                on_group = age_group(age_on(born, on))
            elif person["declared_age"] is not None:
                on_group = age_group(person["declared_age"] + (on.year - day.year))
            else:
                on_group = group
            note = (
                encrypt("Se orienta sobre el trámite.", purpose["notes"]) if random_() < 0.1 else ""
            )
            contact_rows.append(
                f"{contact_id}\t{iso[on]}\t{'t' if j == 0 else 'f'}\t{on_group}\t{note}\t"
                f"{user}\t{centre}\t{pid}\n"
            )
            ids = [need_ids[c] for c in people.needs_of(minor, alone)[:3]]
            need_id = 3 * (contact_id - 1)
            for k, need in enumerate(ids, start=1):
                need_rows.append(f"{need_id + k}\t{contact_id}\t{need}\n")
            seen.append((on, ids))
        held.append((pid, centre, group, seen, user))
    size = len(held)
    for n in range(referrals):
        pid, centre, group, seen, user = held[int(random_() * size)]
        on, ids = seen[0] if len(seen) == 1 or random_() < 0.5 else seen[1]
        need = ids[int(random_() * len(ids))]
        offered = services.get((need, centre))
        service = institution = NULL
        if offered and random_() < 0.7:
            service = pick(offered)
        else:
            institution = pick(outside)
        sent = min(on + dt.timedelta(days=int(random_() * 11)), today)
        status = statuses[bits(10)]
        attended, attended_on = None, NULL
        if status == "atendida" or (status == "cerrada" and random_() < 0.85):
            attended = min(sent + dt.timedelta(days=int(random_() * 15)), today)
            attended_on = iso[attended]
        referral_rows.append(
            f"{referral_id + n}\t{shared_json[bits(10)]}\t{status}\t{iso[sent]}\t"
            f"{iso[sent + dt.timedelta(days=7)]}\t{attended_on}\t"
            f"{group}\t{iso[attended or sent]} 12:00:00-06\t{user}\t{centre}\t"
            f"{institution}\t{need}\t{pid}\t{service}\n"
        )
    generated = time.perf_counter()
    conn = _worker["conn"]
    with conn.cursor() as cursor:
        _copy(
            cursor,
            "registry_person",
            "id, ref, registered_on, given_names, surnames, birth_date, declared_age, curp, "
            "phone, sex, nationality, country_of_birth, population, languages, "
            "without_documents, minor, guardian, guardian_name, authority, age_group, "
            "curp_index, phone_index, identity_index, anonymised_at, updated_at, centre_id, "
            "registered_by_id",
            person_rows,
        )
        _copy(
            cursor, "registry_consent", "id, purpose, granted, at, by_id, person_id", consent_rows
        )
        _copy(
            cursor,
            "registry_contact",
            'id, "on", first, age_group, notes, by_id, centre_id, person_id',
            contact_rows,
        )
        _copy(cursor, "registry_identifiedneed", "id, contact_id, need_id", need_rows)
        _copy(
            cursor,
            "registry_referral",
            "id, shared, status, sent_on, due_on, attended_on, age_group, updated_at, by_id, "
            "from_centre_id, institution_id, need_id, person_id, service_id",
            referral_rows,
        )
    conn.commit()
    return (
        len(person_rows),
        len(consent_rows),
        len(contact_rows),
        len(need_rows),
        referrals,
        generated - began,
        time.perf_counter() - generated,
    )


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """The fill's tables' indexes that back no constraint: (name, definition)."""
    cursor.execute(
        """
        SELECT i.relname, pg_get_indexdef(i.oid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
        ORDER BY t.relname, i.relname
        """,
        [list(TABLES)],
    )
    return cursor.fetchall()


def fill(pg_url: str, people: int, referrals: int, workers: int, users: dict) -> dict:
    """Write *people* people and *referrals* referrals (empty tables); returns timings."""
    import psycopg
    from django.db import connections

    catalogue = catalogue_for_fill(users)
    connections.close_all()  # nothing shared with the forked workers
    timings = {}
    with psycopg.connect(pg_url, autocommit=True) as conn, conn.cursor() as cursor:
        indexes = _secondary_indexes(cursor)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    tasks = []
    for first in range(1, people + 1, CHUNK):
        count = min(CHUNK, people + 1 - first)
        begin = referrals * (first - 1) // people
        end = referrals * (first - 1 + count) // people
        tasks.append((first, count, begin + 1, end - begin))
    started = time.perf_counter()
    totals = [0] * 7
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_init_worker, initargs=(pg_url, catalogue)) as pool:
        for done, counts in enumerate(pool.imap_unordered(fill_chunk, tasks), start=1):
            totals = [a + b for a, b in zip(totals, counts, strict=True)]
            if done % max(len(tasks) // 10, 1) == 0 or done == len(tasks):
                elapsed = time.perf_counter() - started
                print(
                    f"  {totals[0]:>10,} people, {totals[4]:>10,} referrals "
                    f"({elapsed:6.1f} s, {totals[0] / elapsed:,.0f} people/s)",
                    flush=True,
                )
    timings["copy"] = time.perf_counter() - started
    timings["generate_worker"], timings["copy_worker"] = totals[5], totals[6]
    started = time.perf_counter()
    with psycopg.connect(pg_url, autocommit=True) as conn, conn.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        timings["indexes"] = time.perf_counter() - started
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        started = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        timings["vacuum"] = time.perf_counter() - started
    print(
        f"  {totals[1]:,} consents, {totals[2]:,} contacts, {totals[3]:,} identified needs; "
        f"the workers spent {totals[5]:.1f} s generating rows (encryption included) and "
        f"{totals[6]:.1f} s in COPY; "
        f"{len(indexes)} secondary indexes rebuilt in {timings['indexes']:.1f} s, "
        f"VACUUM ANALYZE {timings['vacuum']:.1f} s"
    )
    return {
        **{k: round(v, 1) for k, v in timings.items()},
        "consents": int(totals[1]),
        "contacts": int(totals[2]),
        "needs": int(totals[3]),
    }


def check_sample(size: int = 200) -> int:
    """Read a sample of the filled people through the ORM (decrypting each sealed value)
    and compute their blind indexes again: how many differ (0 expected)."""
    from observatorio.registry.models import Person

    wrong = 0
    for person in Person.objects.order_by("?")[:size]:
        stored = (person.curp_index, person.phone_index, person.identity_index)
        person.index()
        wrong += stored != (person.curp_index, person.phone_index, person.identity_index)
    return wrong
