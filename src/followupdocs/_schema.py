"""The JSON Schema of the YAML format, generated from the models, for editors."""

from __future__ import annotations

from typing import Any

from ._models import Agreement

__all__ = ["SCHEMA_ID", "json_schema"]

SCHEMA_ID = "https://followupdocs.invalid/followupdocs.schema.json"


def json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of an agreement file with its Danish keys."""
    schema = Agreement.model_json_schema(by_alias=True, mode="validation")
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **schema,
        "title": "followupdocs: opfølgning på budgetaftale",
    }
    return schema
