"""The JSON Schema (draft 2020-12) of a force file, generated from the pydantic models.

Editors use it through the ``# yaml-language-server: $schema=...`` line at the top of every
force file; ``schema/force.schema.json`` is the committed copy (a test fails when it drifts).
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_ID = "urn:peelcli:schema:force-file"
"""The schema's name, not an address: peel has no public address to give, so editors find the
schema through the relative path on the first line of every force file, which works offline
and on every machine the ledger is checked out on (``peel init`` puts a copy beside a new
ledger)."""


def force_schema() -> dict[str, Any]:
    from .model import ForceFile

    generated = ForceFile.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **generated,
        "title": "peel force file",
        "description": (
            "One police force's or fire and rescue service's HMICFRS monitoring record (data/forces/<slug>.yaml). "
            "peel validate checks more than this schema can say: ids, citations, chronology."
        ),
    }


def force_schema_text() -> str:
    return json.dumps(force_schema(), indent=2, ensure_ascii=False) + "\n"
