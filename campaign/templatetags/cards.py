"""One card of a grid (templates/includes/cards.html), whatever the kind of card."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def card(context, template_name: str, obj, name: str):
    """``template_name`` rendered with ``obj`` as ``name``, the variable that card reads.

    ``{% include %}`` cannot take the variable's name from a variable; every card template
    keeps its own readable name (``session``, ``school``, ``item``...) this way.
    """
    card_template = context.template.engine.get_template(template_name)
    with context.push({name: obj}):
        return card_template.render(context)
