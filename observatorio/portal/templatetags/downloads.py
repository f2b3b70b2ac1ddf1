"""``{% download_formats as formats %}``: the registered formats of the open datasets."""

from __future__ import annotations

from django import template

from observatorio.lib.renderers import Renderer, renderers_for
from observatorio.published.opendata.renderers import DATASET

register = template.Library()


@register.simple_tag
def download_formats() -> list[Renderer]:
    """Every format a dataset can be downloaded in, in the order the pages list them."""
    return renderers_for(DATASET)
