from django import template

from budgets.bedragen import euro as _euro

register = template.Library()


@register.filter
def euro(bedrag) -> str:
    """``€ 1.234,56``."""
    return _euro(bedrag)
