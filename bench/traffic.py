"""The portal benchmark's traffic: the URL mixes of its suites and the load driver.

A helper of ``bench/portal.py`` (the command line, the server, the runs and what they
print), which runs with ``bench/`` first on ``sys.path`` (so this module and ``harness``
import by name). Nothing here imports Django or ``observatorio``: the URLs are drawn from
the manifest the data set's build wrote (``bench/scaled.py``).

- The URL mixes: a ``Scenario`` is a kind of request (its share of the traffic and how to
  draw one URL); ``SCENARIOS`` for the search page (word queries from the real
  compendium's vocabulary, facets, pages, browsing, the good-practices tab),
  ``API_SCENARIOS`` for ``GET /api/v1/programs/``, ``INDICATOR_SCENARIOS`` for the
  indicator pages. A ``Suite`` pairs a mix with its p95 target (``SUITES``, by name);
  ``traffic`` draws an endless stream of (scenario name, URL) from a mix.
- The load driver: ``drive`` runs the clients (asyncio, one request per connection with
  ``get_status``) and returns a ``Sample`` per answer; ``Figures`` sums samples up
  (requests, errors, p50/p95/p99/max, requests a second) under the header ``COLUMNS``.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

# bench/, this module's folder, is first on sys.path: the modules beside it import by name.
from harness import percentile

TARGET_P95_MS = 150.0  # issue 5: the search page
TARGET_API_P95_MS = 100.0  # issue 7: the API's program list


# --- the traffic ------------------------------------------------------------------------------


def _zipf(rng: random.Random, items: list):
    """An item, the first ones much more often (popular queries repeat)."""
    weights = [1 / (rank + 1) for rank in range(len(items))]
    return rng.choices(items, weights)[0]


def _word(rng: random.Random, m: dict) -> str:
    vocabulary = m["vocabulary"]
    word = (
        _zipf(rng, vocabulary["frequent"]) if rng.random() < 0.6 else rng.choice(vocabulary["rare"])
    )
    if rng.random() < 0.5:  # typed without accents
        word = _fold(word)
    return word


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _query(rng: random.Random, m: dict) -> str:
    roll = rng.random()
    if roll < 0.65:
        return _word(rng, m)
    if roll < 0.9:  # two to three consecutive words of a real title
        words = rng.choice(m["vocabulary"]["titles"])
        size = rng.choice((2, 3))
        start = rng.randrange(max(1, len(words) - size + 1))
        phrase = " ".join(words[start : start + size]).strip('.,;:()«»"')
        return phrase.lower() if rng.random() < 0.5 else _fold(phrase)
    return f"{_word(rng, m)} {_word(rng, m)}"


def _facets(rng: random.Random, m: dict, count: int) -> dict:
    values = m["facets"]
    choices = {
        "parte": lambda: rng.choice(("federal", "estatal")),
        "objetivo": lambda: str(_zipf(rng, list(range(1, 24)))),
        "entidad": lambda: f"{rng.randint(1, 32):02d}",
        "ciclo": lambda: str(rng.choice(values["ciclo"])),
        "institucion": lambda: rng.choice(values["institucion"]),
        "poblacion": lambda: rng.choice(values["poblacion"]),
        "region": lambda: rng.choice(values["region"]),
        "cuantitativos": lambda: rng.choice(("si", "no")),
    }
    names = rng.sample(sorted(choices), count)
    return {name: choices[name]() for name in names}


@dataclass
class Scenario:
    """A kind of request: its share of the traffic and how to draw one URL."""

    name: str
    weight: float
    url: Callable[[random.Random, dict], str]
    description: str


def _search(params: dict) -> str:
    return "/buscar/?" + urlencode(params) if params else "/buscar/"


SCENARIOS = [
    Scenario(
        "palabras",
        0.35,
        lambda rng, m: _search({"q": _query(rng, m)}),
        "a word query (frequent or rare word, accent-free variant, phrase of a real title)",
    ),
    Scenario(
        "facetas",
        0.25,
        lambda rng, m: _search(
            {
                **({"q": _query(rng, m)} if rng.random() < 0.5 else {}),
                **_facets(rng, m, rng.choice((1, 1, 2, 2, 3))),
            }
        ),
        "one to three facet values, with a query half of the time",
    ),
    Scenario(
        "paginas",
        0.12,
        lambda rng, m: _search(
            {
                **({"q": _query(rng, m)} if rng.random() < 0.6 else _facets(rng, m, 1)),
                "pagina": rng.randint(2, 5),
            }
        ),
        "pages 2-5 of a query or of a facet",
    ),
    Scenario(
        "navegar",
        0.13,
        lambda rng, m: _search({"pagina": rng.randint(2, 40)} if rng.random() < 0.6 else {}),
        "browsing without a query: the first page or a later one",
    ),
    Scenario(
        "practicas",
        0.15,
        lambda rng, m: _search(
            {
                "tipo": "practicas",
                **({"q": _query(rng, m)} if rng.random() < 0.6 else {}),
                **({"entidad": f"{rng.randint(1, 32):02d}"} if rng.random() < 0.3 else {}),
            }
        ),
        "the good-practices tab, with a query and/or a state",
    ),
]


#: The portal's facet names and the API's filter names (same filters, issue 7).
_API_NAMES = {
    "parte": "section",
    "objetivo": "objective",
    "entidad": "state",
    "ciclo": "cycle",
    "institucion": "institution",
    "poblacion": "population",
    "region": "region",
    "cuantitativos": "quantitative",
}


def _api(params: dict) -> str:
    renamed = {}
    for name, value in params.items():
        if name == "cuantitativos":
            value = "true" if value == "si" else "false"
        renamed[_API_NAMES.get(name, name)] = value
    return "/api/v1/programs/?" + urlencode(renamed) if renamed else "/api/v1/programs/"


API_SCENARIOS = [
    Scenario(
        "api-busqueda",
        0.35,
        lambda rng, m: _api({"search": _query(rng, m)}),
        "search= with a word query, ranked by relevance",
    ),
    Scenario(
        "api-filtros",
        0.30,
        lambda rng, m: _api(
            {
                **({"search": _query(rng, m)} if rng.random() < 0.3 else {}),
                **_facets(rng, m, rng.choice((1, 1, 2, 2, 3))),
            }
        ),
        "one to three filters (objective, section, state, region, ...), a query 30% of the time",
    ),
    Scenario(
        "api-paginas",
        0.20,
        lambda rng, m: _api(
            {"page": rng.randint(2, 40), **({"page_size": 100} if rng.random() < 0.3 else {})}
            if rng.random() < 0.5
            else {**_facets(rng, m, 1), "page": rng.randint(2, 3)}
        ),
        "harvesting: pages 2-40 of everything (50 or 100 per page) or 2-3 of one filter",
    ),
    Scenario(
        "api-todo",
        0.15,
        lambda rng, m: _api({"page_size": rng.choice((50, 100))} if rng.random() < 0.5 else {}),
        "the first page of every published program",
    ),
]


_BREAKDOWNS = ("entidad", "sexo", "grupo_edad", "nacionalidad", "pais_nacimiento", "poblacion")


def _indicator(rng: random.Random, m: dict, view: str) -> str:
    data = m.get("indicators") or {"codes": ["servicios"], "periods": [2024], "states": ["07"]}
    params = {"periodo": rng.choice(data["periods"])}
    if view == "mapa":
        params["vista"] = "mapa"
    else:
        breakdown = rng.choice(_BREAKDOWNS)
        params["desglose"] = breakdown
        if breakdown != "entidad" and rng.random() < 0.5:
            params["entidad"] = rng.choice(data["states"])
        if view == "grafica":
            params["vista"] = "grafica"
    return f"/indicadores/{rng.choice(data['codes'])}/?" + urlencode(params)


INDICATOR_SCENARIOS = [
    Scenario(
        "catalogo",
        0.10,
        lambda rng, m: (
            "/indicadores/" + (f"?objetivo={rng.choice((1, 15, 16))}" if rng.random() < 0.5 else "")
        ),
        "the catalogue of indicators, by objective half of the time",
    ),
    Scenario(
        "tabla",
        0.40,
        lambda rng, m: _indicator(rng, m, "tabla"),
        "an indicator's table: a period, a breakdown, a state half of the time",
    ),
    Scenario(
        "grafica",
        0.20,
        lambda rng, m: _indicator(rng, m, "grafica"),
        "the same as a chart (rendered once per content, then kept)",
    ),
    Scenario("mapa", 0.15, lambda rng, m: _indicator(rng, m, "mapa"), "the states' map"),
    Scenario(
        "datos-api",
        0.15,
        lambda rng, m: (
            "/api/v1/indicators/"
            + rng.choice((m.get("indicators") or {"codes": ["servicios"]})["codes"])
            + "/data/?"
            + urlencode(
                {"period": rng.choice((m.get("indicators") or {"periods": [2024]})["periods"])}
            )
        ),
        "the API's published cells of one period",
    ),
]


@dataclass
class Suite:
    """What one run drives: the URL mix and its latency target."""

    name: str
    scenarios: list[Scenario]
    target_ms: float
    issue: str


SUITES = {
    "portal": Suite("portal", SCENARIOS, TARGET_P95_MS, "issue 5: the search page"),
    "api": Suite("api", API_SCENARIOS, TARGET_API_P95_MS, "issue 7: GET /api/v1/programs/"),
    "indicators": Suite(
        "indicators", INDICATOR_SCENARIOS, TARGET_P95_MS, "issue 17: the indicator pages"
    ),
}


def traffic(manifest: dict, seed: int, scenarios: list[Scenario] = SCENARIOS):
    """An endless stream of (scenario name, URL) following the weights of *scenarios*."""
    rng = random.Random(seed)
    weights = [s.weight for s in scenarios]
    while True:
        scenario = rng.choices(scenarios, weights)[0]
        yield scenario.name, scenario.url(rng, manifest)


# --- the load driver --------------------------------------------------------------------------


@dataclass
class Sample:
    scenario: str
    seconds: float
    status: int


async def get_status(port: int, target: str) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            (
                f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                "Accept-Language: es-MX\r\nConnection: close\r\n\r\n"
            ).encode("ascii")
        )
        await writer.drain()
        data = await reader.read()  # gunicorn's sync workers close after each response
    finally:
        writer.close()
    return int(data[9:12]) if data.startswith(b"HTTP/") else 0


async def drive(
    port: int, clients: int, seconds: float, urls, record: bool, think: float = 0.0
) -> list[Sample]:
    """*clients* clients for *seconds*: back to back, or pausing a random think time
    (exponential, mean *think* seconds) after each answer, as people reading a page do."""
    samples: list[Sample] = []
    end = time.perf_counter() + seconds
    pauses = random.Random(11)

    async def client() -> None:
        if think:  # people do not all arrive in the same instant
            await asyncio.sleep(pauses.uniform(0, think))
        while time.perf_counter() < end:
            name, target = next(urls)
            started = time.perf_counter()
            try:
                status = await asyncio.wait_for(get_status(port, target), timeout=60)
            except (TimeoutError, OSError):
                status = 0
            if record:
                samples.append(Sample(name, time.perf_counter() - started, status))
            if think:
                await asyncio.sleep(pauses.expovariate(1 / think))

    await asyncio.gather(*(client() for _ in range(clients)))
    return samples


@dataclass
class Figures:
    requests: int
    errors: int
    p50: float
    p95: float
    p99: float
    max: float
    rps: float

    @classmethod
    def of(cls, samples: list[Sample], seconds: float) -> Figures:
        ms = sorted(s.seconds * 1000 for s in samples)
        return cls(
            requests=len(samples),
            errors=sum(s.status != 200 for s in samples),
            p50=percentile(ms, 0.50),
            p95=percentile(ms, 0.95),
            p99=percentile(ms, 0.99),
            max=ms[-1] if ms else float("nan"),
            rps=len(samples) / seconds,
        )

    def columns(self) -> str:
        return (
            f"{self.requests:>8} {self.errors:>6} {self.p50:>8.1f} {self.p95:>8.1f} "
            f"{self.p99:>8.1f} {self.max:>8.1f} {self.rps:>7.1f}"
        )


COLUMNS = (
    f"{'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
    f"{'req/s':>7}"
)
