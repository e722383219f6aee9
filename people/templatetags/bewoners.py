"""``{% if user|is_bewoner %}``: whether to show "Mijn wijk" in the navigation. Asks the
predicate directly (the roles are kept for the user): ``perms`` would also ask Django's model
backend, which costs two queries on every page of a user who is not a resident."""

from django import template

from people.predicates import is_bewoner as _is_bewoner

register = template.Library()


@register.filter
def is_bewoner(user) -> bool:
    return bool(_is_bewoner(user))
