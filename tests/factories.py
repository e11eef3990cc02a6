"""Factories for tests: real rows in the real database."""
import hashlib

import factory

from catalog.models import (
    Authority, AuthorityLink, AuthorityVariant, Collection, DigitalFile, Item, Statement,
)


class CollectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collection

    identifier = factory.Sequence(lambda n: f"collection-{n}")
    title = factory.Sequence(lambda n: f"Collection {n}")


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority

    kind = Authority.AGENT
    preferred_label = factory.Sequence(lambda n: f"Agent {n}")


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorityVariant

    authority = factory.SubFactory(AuthorityFactory)
    label = factory.Sequence(lambda n: f"Variant {n}")


class ItemFactory(factory.django.DjangoModelFactory):
    """An item with a title; `status="published"` makes it public."""

    class Meta:
        model = Item
        skip_postgeneration_save = True

    identifier = factory.Sequence(lambda n: f"item-{n:05d}")
    dcmi_type = "StillImage"
    status = Item.DRAFT

    @factory.post_generation
    def title(obj, create, extracted, **kwargs):
        if create:
            Statement.objects.create(item=obj, term="title", value=extracted or f"Item {obj.identifier}", lang="en")
            obj.refresh_from_db()


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement

    item = factory.SubFactory(ItemFactory)
    term = "description"
    value = factory.Sequence(lambda n: f"Value {n}")
    position = factory.Sequence(lambda n: n + 1)


class DigitalFileFactory(factory.django.DjangoModelFactory):
    """A real PNG file of an item, stored in MEDIA_ROOT; derivatives only when given."""

    class Meta:
        model = DigitalFile

    item = factory.SubFactory(ItemFactory)
    file = factory.django.ImageField(filename="scan.png", width=48, height=32, color="gray")
    mime_type = "image/png"
    size = factory.LazyAttribute(lambda o: o.file.size)
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.file.read()).hexdigest())
    width = 48
    height = 32


class AuthorityLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuthorityLink

    authority = factory.SubFactory(AuthorityFactory)
    source = "other"
    uri = factory.Sequence(lambda n: f"https://authority.example.org/record/{n}")


def described_note(**item_fields):
    """The note of 24 September 1945, described as fully as the demo catalogue describes it:
    the item the page outputs (citations, JSON-LD, <meta>) are specified against.

    Records and collections are made afresh, so call it once per test.
    """
    fonds = CollectionFactory(identifier="eastern-finnmark", title="Eastern Finnmark 1944–1945")
    documents = CollectionFactory(identifier="documents", title="Documents", parent=fonds)
    karlsen = AuthorityFactory(preferred_label="R. Karlsen", agent_type="person")
    lukin = AuthorityFactory(preferred_label="P. Lukin-Griege", agent_type="person")
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff", agent_type="person", dates="1915-1999")
    VariantFactory(authority=diakonoff, label="Igor Diakonov")
    VariantFactory(authority=diakonoff, label="Igor Dyakonov")
    archives = AuthorityFactory(preferred_label="National Archives of Norway", agent_type="organisation")
    kirkenes = AuthorityFactory(
        kind=Authority.PLACE, preferred_label="Kirkenes", latitude="69.727100", longitude="30.045000"
    )
    VariantFactory(authority=kirkenes, label="Kirkens")
    AuthorityLinkFactory(authority=kirkenes, uri="https://authority.example.org/place/kirkenes")
    withdrawal = AuthorityFactory(kind=Authority.CONCEPT, preferred_label="Withdrawal of Soviet troops from Norway")

    item = ItemFactory(
        identifier="finnmark-1945-note-0924", dcmi_type="Text", status=Item.PUBLISHED,
        title="Note on the Soviet forces in Eastern Finnmark", **item_fields,
    )
    item.collections.add(documents)
    statements = [
        ("alternative", "Notat om de sovjetiske styrkene i Øst-Finnmark", "nb", None),
        ("creator", "Captain R. Karlsen", "", karlsen),
        ("creator", "Colonel P. Lukin-Griege", "", lukin),
        ("contributor", "Dyakonov", "", diakonoff),
        ("created", "24 Sept 1945", "", None),
        ("type", "Note", "en", None),
        ("description",
         "Signed statement that the Soviet forces claimed no material compensation, kept the "
         "retreating German army from destroying homes, roads and bridges, spared 20,000–25,000 "
         "people from forced evacuation, and helped with food and rebuilding.", "en", None),
        ("subject", "", "", withdrawal),
        ("spatial", "Kirkens", "", kirkenes),
        ("language", "nb", "", None),
        ("provenance",
         "Digitised by the National Archives of Norway and released for Liberation Day in May "
         "2015 (the article announcing it misprints the year as 1915).", "en", None),
        ("rightsHolder", "", "", archives),
    ]
    for position, (term, value, lang, authority) in enumerate(statements, start=1):
        Statement.objects.create(
            item=item, term=term, value=value or authority.preferred_label, lang=lang,
            authority=authority, position=position,
        )
    return Item.objects.with_description().get(pk=item.pk)
