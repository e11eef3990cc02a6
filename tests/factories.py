"""Factories for tests: real rows in the real database."""
import hashlib

import factory

from catalog.models import Authority, AuthorityVariant, Collection, DigitalFile, Item, Statement


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
