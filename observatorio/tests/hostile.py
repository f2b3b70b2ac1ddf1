"""The hostile-input sweep (issue 14): every URL pattern of the project and every operation of
the API, sent NUL, 1 MB strings, 50,000-level JSON and a 100,000-form formset.

Shared by the test (observatorio/tests/test_hostile_sweep.py, through Django's test client)
and the benchmark (bench/hostile.py, over HTTP against gunicorn). :func:`web_plan` and
:func:`api_plan` yield the :class:`Probe` of one identity, :func:`run` sends them and times
each answer:

* the web: every pattern of the URLconf but the API's (filled with real ids, slugs and
  codes; the admin's too), asked for once as is (``baseline``) and then with NUL in each
  part of the address (``nul-path``, and a control character and an encoded surrogate),
  NUL in each parameter's value (``nul-param`` in the query, ``nul-form`` in a POSTed form)
  and name (``nul-key``), a 1 MB value in each parameter (``1mb-param``, ``1mb-form``), a
  50,000-level JSON body (``nested-json``) and, on the report form, ``figures-TOTAL_FORMS``
  of 100,000 (``formset``). "Each parameter" is every name the view reads from the query
  or the form (recorded while the baseline requests run) and every field of the forms on
  the page;
* the API: every operation of its schema (observatorio/api/schema.yaml), with NUL and 1 MB
  in each path and query parameter, and for writes a 50,000-level body and each field of
  the body as NUL, as 1 MB and (lists) as 100,000 elements (``long-list``).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlencode

#: 1 MiB of words. ASCII: percent-encoded, a megabyte of "ñ" is 3 MB that the parsers of the
#: standard library unquote at about 0.4 s each (and no proxy passes a 3 MB request line).
MB = ("hostil " * (2**20 // 7 + 1))[: 2**20]
NESTED = "[" * 50_000
LONG_LIST = 100_000
FORMSET = {
    "figures-TOTAL_FORMS": "100000",
    "figures-INITIAL_FORMS": "0",
    "figures-MIN_NUM_FORMS": "0",
    "figures-MAX_NUM_FORMS": "100000",
}
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

#: Identities: who asks (a session for the web, a token for the API).
WEB_IDENTITIES = ("anonymous", "reviewer", "enlace_jalisco")
API_IDENTITIES = ("anonymous", "reviewer-token", "enlace_jalisco-token")
#: The enlace is there for the report form (a reviewer may not write reports).
ENLACE_ROUTES = ("reportes/",)
#: Asked for last: they sign the client out, change its language or a report's status.
LAST = ("/salir/", "/logout/", "/i18n/setlang/", "/enviar/", "/aprobar/", "/publicar/", "/retirar/")
_CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>(?P<re>[^)]*)\)")
_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL)
_ACTION = re.compile(r"\baction=\"([^\"]*)\"")
_FIELD = re.compile(r"<(?:input|select|textarea|button)\b[^>]*?\bname=\"([^\"]+)\"")
_NAME = re.compile(r"[A-Za-z_][\w.\-]{0,60}")


@dataclass(frozen=True)
class Probe:
    category: str
    identity: str
    method: str
    url: str  # the path (percent-encoded) and query string, as sent
    body: bytes = b""
    content_type: str = ""


@dataclass
class Samples:
    """Real records for the parts of the addresses (prepared in the database)."""

    published: int
    draft: int
    practice: int
    release: int
    release_file: str
    document: int
    spare_token: int
    cycle: int
    population: str

    @classmethod
    def prepare(cls) -> Samples:
        """Create what the sweep needs next to the imported data; return their keys."""
        import datetime as dt

        from django.utils import timezone

        from observatorio.accounts.models import ApiToken
        from observatorio.accounts.testing import make_user
        from observatorio.catalog.models import GcmObjective, PopulationGroup, State
        from observatorio.practices.models import GoodPractice
        from observatorio.programs.models import Program, ReportingCycle
        from observatorio.publications.models import GeneratedDocument, Release, ReleaseFile

        reviewer = make_user("reviewer")
        make_user("enlace_jalisco")
        today = timezone.localdate()
        cycle = ReportingCycle.objects.filter(edition=2099).first()
        if cycle is None:
            cycle = ReportingCycle.objects.create(
                edition=2099,
                name="Ciclo de prueba 2099",
                period_start=dt.date(2098, 7, 1),
                period_end=dt.date(2099, 6, 30),
                opens_on=today - dt.timedelta(days=10),
                deadline=today + dt.timedelta(days=20),
                closes_on=today + dt.timedelta(days=40),
            )
        draft = Program.objects.create(
            cycle=cycle,
            section=Program.Section.STATE,
            state=State.objects.get(inegi_code="14"),
            objective=GcmObjective.objects.get(number=7),
            title="Reporte de la revisión de entradas hostiles",
            description="Orientación jurídica.",
        )
        published = Program.objects.published().order_by("pk").first() or draft
        practice = GoodPractice.objects.order_by("pk").first()
        release = Release.objects.order_by("number").first()
        if release is None:
            release = Release.objects.create(number=1, note="Prueba")
            ReleaseFile.objects.create(
                release=release,
                name="programas.csv",
                media_type="text/csv",
                size=3,
                sha256="0" * 64,
                content=b"a,b",
            )
        document = GeneratedDocument.objects.create(
            kind=GeneratedDocument.Kind.COMPENDIUM,
            cycle=ReportingCycle.objects.order_by("edition").first(),
            format=GeneratedDocument.Format.choices[0][0],
            data_version="hostil",
            status=GeneratedDocument.Status.DONE,
            content=b"%PDF-1.4",
            sha256="0" * 64,
            size=8,
            requested_by=reviewer,
        )
        spare, _key = ApiToken.issue(reviewer, "para revocar")
        return cls(
            published=published.pk,
            draft=draft.pk,
            practice=practice.pk if practice else 1,
            release=release.number,
            release_file=release.files.order_by("name").values_list("name", flat=True).first(),
            document=document.pk,
            spare_token=spare.pk,
            cycle=cycle.edition,
            population=PopulationGroup.objects.order_by("code").values_list("code", flat=True)[0],
        )

    def value(self, route: str, name: str, pattern: str = "") -> str:
        """A real value for the part *name* of *route*."""
        if pattern and "|" in pattern and re.fullmatch(r"[\w|]+", pattern):
            return pattern.split("|")[0]  # the admin's app_label
        by_route = {
            ("reportes/", "pk"): self.draft,
            ("programas/", "pk"): self.published,
            ("practicas/", "pk"): self.practice,
            ("publicaciones/", "pk"): self.document,
            ("cuentas/tokens/", "pk"): self.spare_token,
            ("datos/versiones/", "number"): self.release,
            ("datos/versiones/", "name"): self.release_file,
            ("objetivos/", "number"): 3,
            ("entidades/", "slug"): "jalisco",
            ("datos/", "slug"): "programas",
            ("instituciones/", "acronym"): "SRE",
            ("reportes/completitud/", "edition"): 2022,
            ("reportes/", "verb"): "enviar",
            ("api/v1/programs/", "pk"): self.draft,
            ("api/v1/practices/", "pk"): self.practice,
            ("api/v1/objectives/", "number"): 3,
            ("api/v1/states/", "inegi_code"): "14",
            ("api/v1/institutions/", "acronym"): "SRE",
            ("api/v1/populations/", "code"): self.population,
            ("api/v1/cycles/", "edition"): 2022,
        }
        for (prefix, part), value in sorted(by_route.items(), key=lambda kv: -len(kv[0][0])):
            if route.startswith(prefix) and name == part:
                return str(value)
        return {"fmt": "csv", "object_id": "1", "content_type_id": "1", "id": "1"}.get(name, "1")


# --- the address of each pattern --------------------------------------------------------------


def web_routes() -> list[str]:
    """Every pattern of the URLconf outside /api/ (the API is swept through its schema)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    return sorted({r for r in walk(get_resolver().url_patterns) if not r.startswith("api/")})


def addresses(route: str, samples: Samples) -> tuple[str, list[str]]:
    """The address of *route* filled with real values, and its variants with NUL (one per
    part, then a NUL, a control character and an encoded surrogate at the end)."""
    parts = list(_CONVERTER.finditer(route))

    def fill(poisoned: int | None) -> str:
        out, last = [], 0
        for i, match in enumerate(parts):
            out.append(route[last : match.start()])
            name = match.group("name") or match.group("group")
            value = samples.value(route, name, match.group("re") or "")
            out.append(quote(value + ("\x00" if i == poisoned else ""), safe=""))
            last = match.end()
        out.append(route[last:])
        return "/" + "".join(out).replace("^", "").replace("$", "")

    address = fill(None)
    variants = [fill(i) for i in range(len(parts))]
    variants += [address + "%00", address + "x%01", address + "%ED%A0%80"]
    return address, variants


# --- which parameters a view reads --------------------------------------------------------------


@contextmanager
def recording_reads() -> Iterator[set[str]]:
    """Record every name looked up in a request's QueryDict (GET, POST) while the block runs."""
    from django.http import QueryDict

    names: set[str] = set()
    attributes = ("__getitem__", "get", "getlist", "__contains__")

    def spy(original):
        def read(self, key, *args, **kwargs):
            if isinstance(key, str):
                names.add(key)
            return original(self, key, *args, **kwargs)

        return read

    for attribute in attributes:  # QueryDict inherits them: the spies shadow them
        setattr(QueryDict, attribute, spy(getattr(QueryDict, attribute)))
    try:
        yield names
    finally:
        for attribute in attributes:
            delattr(QueryDict, attribute)


def parameters(send: Callable[[Probe], tuple[int, bytes]], identity: str, url: str) -> list[str]:
    """The names *url*'s view reads on GET and POST, and the fields of the forms it shows."""
    with recording_reads() as names:
        _status, page = send(Probe("discovery", identity, "GET", url))
        if not _last(url):  # (a POST there would sign the client out before the sweep)
            send(Probe("discovery", identity, "POST", url, b"", FORM))
    path = url.split("?")[0]
    for attributes, form in _FORM.findall(page.decode("utf-8", "replace")):
        action = _ACTION.search(attributes)
        if action is None or action.group(1).split("?")[0] in ("", path):
            # A form that posts here (the menu's language and search forms post elsewhere:
            # their own addresses are swept with their fields).
            names |= set(_FIELD.findall(form))
    return sorted(n for n in names if _NAME.fullmatch(n) and n != "csrfmiddlewaretoken")


def _last(url: str) -> bool:
    return any(part in url.split("?")[0] for part in LAST)


# --- the plans ----------------------------------------------------------------------------


def _form(data: dict) -> bytes:
    return urlencode(data, doseq=True).encode()


def _with_query(url: str, query: dict) -> str:
    return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"


def web_plan(send, identity: str, samples: Samples) -> Iterator[Probe]:
    """The web's probes for *identity*, route by route (*send* runs the discovery requests
    of each route just before its probes); the routes of :data:`LAST` come at the end."""
    deferred: list[Probe] = []
    for route in web_routes():
        if identity == "enlace_jalisco" and not route.startswith(ENLACE_ROUTES):
            continue
        probes = _route_probes(send, identity, samples, route)
        if any(_last(p.url) for p in probes):
            deferred += probes
        else:
            yield from probes
    yield from deferred


def _route_probes(send, identity: str, samples: Samples, route: str) -> list[Probe]:
    address, variants = addresses(route, samples)
    if route == "reportes/nuevo/":
        address += f"?ciclo={samples.cycle}"
    probes: list[Probe] = []

    def add(category, method, url, body=b"", content_type=""):
        probes.append(Probe(category, identity, method, url, body, content_type))

    add("baseline", "GET", address)
    for variant in variants:
        add("nul-path", "GET", variant)
    add("nul-path", "POST", variants[-3], _form({"a": "b"}), FORM)
    add("nul-key", "GET", _with_query(address, {"\x00": "1"}))
    add("nul-key", "POST", address, _form({"a\x00": "1"}), FORM)
    add("nested-json", "POST", address, NESTED.encode(), JSON)
    for name in parameters(send, identity, address):
        add("nul-param", "GET", _with_query(address, {name: "1\x00"}))
        add("nul-form", "POST", address, _form({name: "1\x00"}), FORM)
        add("1mb-param", "GET", _with_query(address, {name: MB}))
        add("1mb-form", "POST", address, _form({name: MB}), FORM)
    if route in ("reportes/nuevo/", "reportes/<int:pk>/editar/"):
        add("formset", "POST", address, _form({"title": "Reporte", **FORMSET}), FORM)
    return probes


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _body_fields(schema: dict, operation: dict) -> dict[str, dict]:
    content = operation.get("requestBody", {}).get("content", {}).get(JSON)
    if not content:
        return {}
    return _resolve(schema, content["schema"]).get("properties", {})


def api_plan(identity: str, samples: Samples) -> Iterator[Probe]:
    """The API's probes for *identity*: every operation of the committed schema."""
    import yaml

    from observatorio.api.schema import SNAPSHOT

    schema = yaml.safe_load(SNAPSHOT.read_text(encoding="utf-8"))
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if identity == "enlace_jalisco-token" and method == "get":
                continue  # the enlace's token is there for the writes
            yield from _operation_probes(schema, identity, samples, path, method, operation)


def _operation_probes(schema, identity, samples, path, method, operation) -> list[Probe]:
    writes = method in ("post", "patch", "put")
    route = path.lstrip("/").replace("{id}", "{pk}")
    names = re.findall(r"\{(\w+)\}", route)

    def fill(poisoned=None):
        url = route
        for name in names:
            value = samples.value(route, name) + ("\x00" if name == poisoned else "")
            url = url.replace(f"{{{name}}}", quote(value))
        return "/" + url

    probes: list[Probe] = []

    def add(category, url, body=b"", content_type=""):
        probes.append(Probe(category, identity, method.upper(), url, body, content_type))

    address = fill()
    add("baseline", address, b"{}" if writes else b"", JSON if writes else "")
    for name in names:
        add("nul-path", fill(name))
    add("nul-path", address + "%00")
    query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    for name in query:
        add("nul-param", _with_query(address, {name: "1\x00"}))
        add("1mb-param", _with_query(address, {name: MB}))
    add("nul-key", _with_query(address, {"\x00": "1"}))
    if not writes:
        return probes
    add("nested-json", address, NESTED.encode(), JSON)
    add("nested-json", address, ('{"a":' * 50_000).encode(), JSON)
    for name, field in _body_fields(schema, operation).items():
        field = _resolve(schema, field)
        for category, value in (("nul-param", "1\x00"), ("1mb-param", MB)):
            add(category, address, json.dumps({name: value}).encode(), JSON)
        if field.get("type") == "array":
            element = {} if _resolve(schema, field.get("items", {})).get("type") == "object" else 1
            add("long-list", address, json.dumps({name: [element] * LONG_LIST}).encode(), JSON)
    return probes


# --- running them and reading the results -----------------------------------------------------


@dataclass
class Result:
    """One answer, without the probe's megabytes."""

    category: str
    identity: str
    path: str  # without the query string
    names: frozenset[str]  # the parameters sent, in the query or the form
    description: str
    status: int
    seconds: float


def run(probes: Iterable[Probe], send: Callable[[Probe], tuple[int, bytes]]) -> list[Result]:
    results = []
    for probe in probes:
        start = time.perf_counter()
        status, _body = send(probe)
        seconds = time.perf_counter() - start
        path, _, query = probe.url.partition("?")
        names = set(parse_qs(query, keep_blank_values=True))
        if probe.content_type == FORM:
            names |= set(parse_qs(probe.body.decode("latin-1"), keep_blank_values=True))
        results.append(
            Result(
                probe.category,
                probe.identity,
                path,
                frozenset(names),
                describe(probe),
                status,
                seconds,
            )
        )
    return results


def describe(probe: Probe) -> str:
    url = probe.url if len(probe.url) < 90 else probe.url[:70] + f"… ({len(probe.url):,} B)"
    body = f" + {len(probe.body):,} B" if probe.body else ""
    return f"{probe.identity} {probe.method} {url}{body} [{probe.category}]"


def slowest(results: list[Result], n: int = 8) -> str:
    lines = [
        f"  {r.seconds * 1000:8.1f} ms  {r.status}  {r.description}"
        for r in sorted(results, key=lambda r: -r.seconds)[:n]
    ]
    return "\n".join(lines)
