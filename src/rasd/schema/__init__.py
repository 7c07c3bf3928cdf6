"""The JSON Schema of rasd's output (docs/schema.md explains each field)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("document.schema.json")


@cache
def document_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(data: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError unless ``data`` follows the output contract."""
    import jsonschema

    jsonschema.validate(data, document_schema())
