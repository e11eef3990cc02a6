"""Every finding aid of the demo catalogue and of a generated one validates: each published unit
of the demo heads a valid EAD3 and apeEAD document, and so do the generated catalogue's fonds
and assembled collections (the schemas as vendored, offline)."""
import io

import pytest
from django.core.management import call_command

from catalog.exports import ead
from catalog.exports.ead import validation
from catalog.models import Item

pytestmark = pytest.mark.django_db

FORMATS = sorted(ead.FORMATS)


def invalid(unit, format_name):
    out = io.BytesIO()
    ead.write(unit, out, format_name, site_url="https://arkiv.example.org")
    return validation.errors(out.getvalue(), ead.FORMATS[format_name].schema_file)


def test_every_published_unit_of_the_demo_heads_a_valid_finding_aid():
    call_command("load_demo", stdout=io.StringIO())
    units = list(Item.objects.published().order_by("reference"))
    arranged = [unit for unit in units if unit.parent_id or unit.children.exists()]
    assert len(arranged) > 20  # the demo is arranged: one collection, four series, files, items

    failures = {
        (unit.identifier, format_name): errors[:3]
        for unit in arranged for format_name in FORMATS
        if (errors := invalid(unit, format_name))
    }

    assert failures == {}


def test_the_generated_fonds_and_collections_validate(settings):
    # Every fourth top unit is a collection: 5,000 small units reach the first.
    call_command("generate_catalog", 5000, seed=3, big_series=20, file_items=[1, 1], verbosity=0, stdout=io.StringIO())
    tops = [
        top for level, first in (("fonds", 2), ("collection", 1))
        for top in Item.objects.published().filter(parent=None, level__code=level).order_by("pk")[:first]
    ]
    assert [top.level.code for top in tops] == ["fonds", "fonds", "collection"]

    failures = {
        (top.identifier, format_name): errors[:3]
        for top in tops for format_name in FORMATS
        if (errors := invalid(top, format_name))
    }

    assert failures == {}
