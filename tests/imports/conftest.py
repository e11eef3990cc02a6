"""Running imports in tests, and a picture of everything an import could change."""
import io
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from catalog.imports.csv import Options, PlanStore, import_csv
from catalog.models import Authority, AuthorityVariant, DigitalFile, Item, Statement, Tombstone


@pytest.fixture(autouse=True)
def _import_dir(settings, tmp_path):
    settings.ARKIV_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def run(tmp_path):
    """run(csv text or bytes, apply=False, expected_digest=None, progress=None, **options) -> (result, store)."""
    stores = []

    def run(data, *, apply=False, expected_digest=None, progress=None, **options):
        if isinstance(data, str):
            data = data.encode()
        store = PlanStore(tmp_path / f"plan-{len(stores)}.sqlite3")
        stores.append(store)
        stream = data if hasattr(data, "read") else io.BytesIO(data)
        result = import_csv(
            stream, store=store, options=Options(**options), apply=apply, expected_digest=expected_digest,
            progress=progress,
        )
        return result, store

    yield run
    for store in stores:
        store.close()


def catalogue_state():
    """Everything an import could touch, in a form two states can be compared in."""
    through = Item.collections.through
    media = Path(settings.MEDIA_ROOT)
    return {
        "items": list(Item.objects.order_by("identifier").values()),
        "statements": list(Statement.objects.order_by("item_id", "position", "pk").values()),
        "collections": sorted(through.objects.values_list("item_id", "collection_id")),
        "authorities": list(Authority.objects.order_by("pk").values()),
        "variants": list(AuthorityVariant.objects.order_by("pk").values()),
        "tombstones": list(Tombstone.objects.order_by("identifier").values()),
        "files": list(DigitalFile.objects.order_by("pk").values()),
        "media": sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
    }


def image_bytes(kind="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (90, 120, 150)).save(buffer, kind)
    return buffer.getvalue()


def all_entries(store):
    return store.entries(["create", "update", "unchanged", "error"])
