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


@cache
def _validator() -> Any:
    import jsonschema

    return jsonschema.Draft202012Validator(document_schema())


def validate(data: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError unless ``data`` follows the output contract."""
    import jsonschema

    jsonschema.validate(data, document_schema())


def contract_problem(data: Any) -> str | None:
    """Why ``data`` does not follow the output contract, in one short line, or None (the
    validator is built once: ``rasd export`` asks for every record)."""
    import jsonschema

    error = jsonschema.exceptions.best_match(_validator().iter_errors(data))
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path) or "the record"
    return f"{where}: {error.message}"[:200]
