"""``{% block_text "name" %}``: what a block of the page being rendered says, said again.

``templates/page.html`` puts the page's title in two places, the window's title and the
``<h1>``; with this the page writes it once (``{% block page_title %}``) and the layout
repeats it where the page does not say otherwise.
"""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def block_text(context, name: str) -> str:
    """The named block as the most derived template defines it, rendered here ("" if none)."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks is not None else None
    return block.nodelist.render(context) if block is not None else ""
