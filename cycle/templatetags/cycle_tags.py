from django import template

from cycle.models import PRODUCT_PER_SOORT, Fase, Productstatus
from cycle.selectors import is_te_laat
from people.models import Rol

register = template.Library()


@register.filter
def fase_label(value):
    try:
        return Fase(value).label
    except ValueError:
        return value


@register.filter
def status_label(value):
    try:
        return Productstatus(value).label
    except ValueError:
        return value


@register.filter
def fase_einde(cyclus):
    """Planned end of the cycle's current phase (None when the cycle is closed)."""
    if cyclus.is_afgerond:
        return None
    return cyclus.planning(cyclus.fase)[1]


@register.filter
def te_laat(cyclus):
    return is_te_laat(cyclus)


@register.filter
def product_soort(product):
    """The kind of a product (wijkanalyse, ...), for where its title may not be shown."""
    return product._meta.verbose_name


@register.filter
def rol_label(code):
    """A role's name, for where a person is shown by the role they acted in."""
    try:
        return Rol(code).label
    except ValueError:
        return code


@register.filter
def product_label(soort):
    model = PRODUCT_PER_SOORT.get(soort)
    return model._meta.verbose_name if model else soort
