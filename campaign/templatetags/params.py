"""Optional parameters of an include, declared at its top with their defaults."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def defaults(context, **values):
    """``{% defaults intro="" tinted=False %}``: each name the includer did not pass gets
    its default, in the include's own context.

    An optional parameter read without a default is a failed variable lookup (logged by
    Django on every render, and an error in the tests: tests/config/test_template_variables.py).
    """
    for name, value in values.items():
        if name not in context:
            context[name] = value
    return ""
