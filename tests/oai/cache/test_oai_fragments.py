"""manage.py oai_fragments: stores what a harvest would build, and only what is missing."""
import io

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Item
from catalog.oai.cache.models import Fragment
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("oai_fragments", *args, stdout=out)
    return out.getvalue()


def test_every_published_item_gets_its_fragments_and_a_harvest_serves_them(client):
    items = [ItemFactory(status=Item.PUBLISHED) for _ in range(3)]
    ItemFactory()  # a draft: no record
    output = run("--prefix", "oai_dc", "--prefix", "qdc")
    assert "oai_dc: 3 records ready" in output and "qdc: 3 records ready" in output
    assert Fragment.objects.count() == 9  # and each item's header
    assert set(Fragment.objects.values_list("item_id", flat=True)) == {item.pk for item in items}
    stored = {pk: bytes(xml) for pk, xml in Fragment.objects.filter(prefix="oai_dc").values_list("item_id", "xml")}
    Fragment.objects.filter(prefix="oai_dc").update(xml=b"<oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/'/>")
    response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert response.content.count(b"<oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/'/>") == 3
    assert stored  # what the command built was real metadata
    assert all(b"<dc:title" in xml for xml in stored.values())


def test_a_second_run_builds_only_what_changed():
    ItemFactory(status=Item.PUBLISHED)
    run("--prefix", "oai_dc")
    Fragment.objects.update(xml=b"<kept/>")  # current by datestamp and context: not rebuilt
    run("--prefix", "oai_dc")
    assert [bytes(xml) for xml in Fragment.objects.values_list("xml", flat=True)] == [b"<kept/>"] * 2  # metadata, header


def test_an_unknown_prefix_is_named():
    with pytest.raises(CommandError, match="No metadata format “marc”"):
        run("--prefix", "marc")
