"""The IIIF Presentation 3.0 JSON Schema (vendored in schema/, README there), ready to use."""
import json
from functools import cache
from pathlib import Path

import jsonschema

SCHEMA_DIR = Path(__file__).parent / "schema"


@cache
def validator():
    schema = json.loads((SCHEMA_DIR / "iiif_3_0.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def problems(document):
    """The schema's complaints about `document` (a dict), as readable lines; [] if valid."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message[:300]}"
        for error in validator().iter_errors(document)
    ]


def assert_valid(document):
    found = problems(document)
    assert not found, f"{document.get('id')} is not valid IIIF Presentation 3.0:\n" + "\n".join(found[:20])
