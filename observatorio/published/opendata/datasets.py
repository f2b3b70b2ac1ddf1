"""Every open dataset, by the name used in its URL (``/datos/<slug>.<formato>``).

Every dataset is public: programs are published programs only, and the other
tables hold catalogues, the good-practice study and counts of published programs.
Column names are Spanish, with a label column beside each code; see DATA.md ("Open data").
"""

from __future__ import annotations

from .catalogues import INSTITUTIONS, OBJECTIVES, POPULATIONS, STATES
from .figures import FIGURES
from .indicators import INDICATOR_VALUES, INDICATORS
from .programs import (
    COVERAGE,
    PROGRAMS,
    coverage_params,
    program_objects,
    published_program_ids,
)
from .schema import Dataset
from .study import PANORAMA, PRACTICES

__all__ = ["DATASETS", "PROGRAMS", "params_for", "program_objects", "published_program_ids"]

#: Every dataset, in the order the open-data page and the datapackage list them.
DATASETS: dict[str, Dataset] = {
    d.slug: d
    for d in (
        PROGRAMS,
        FIGURES,
        OBJECTIVES,
        STATES,
        INSTITUTIONS,
        POPULATIONS,
        PRACTICES,
        PANORAMA,
        COVERAGE,
        INDICATORS,
        INDICATOR_VALUES,
    )
}
#: Options a dataset download reads from its query string (validated; invalid → 404).
PARAMS = {"cobertura": coverage_params}


def params_for(dataset: Dataset, query) -> dict:
    parse = PARAMS.get(dataset.slug)
    return parse(query) if parse else {}
