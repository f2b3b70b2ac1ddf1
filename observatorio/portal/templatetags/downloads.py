"""``{% download_links … as links %}``: the download links of a page, one per registered format.

The links' addresses are reversed once per (dataset, language, script prefix) in each
process: the search page shows them on every answer, and five ``{% url %}`` tags cost
more than the rest of the block.
"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

from observatorio.lib.renderers import renderers_for
from observatorio.published.opendata.renderers import DATASET

register = template.Library()


@lru_cache(maxsize=256)
def _links(dataset: str, language: str, prefix: str) -> tuple[tuple[str, str, str], ...]:
    """(address, media type, label) of each format, in the order the pages list them."""
    return tuple(
        (
            reverse("portal:dataset", args=[dataset, renderer.format])
            if dataset
            else reverse("portal:download", args=[renderer.format]),
            renderer.content_type,
            str(renderer.label),
        )
        for renderer in renderers_for(DATASET)
    )


@register.simple_tag
def download_links(dataset: str = "", cycle=None, query: str = "") -> list[dict]:
    """The links of a dataset (narrowed to *cycle*) or of the search results (*query*:
    the page's ``?…`` parameters)."""
    tail = f"?ciclo={cycle.edition}" if dataset and cycle else ("" if dataset else query)
    return [
        {"href": href + tail, "type": media_type, "label": label}
        for href, media_type, label in _links(dataset, get_language(), get_script_prefix())
    ]
