"""{% material_templates as templates %}: the templates per kind of material, in their order, for
the admin's “Add photograph” links. Bounded: an archive has a handful of kinds of material."""
from django import template

from ..models import MaterialTemplate

register = template.Library()
LIMIT = 30


@register.simple_tag
def material_templates():
    return list(MaterialTemplate.objects.all()[:LIMIT])
