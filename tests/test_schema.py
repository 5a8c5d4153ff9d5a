"""The editor schema: generated from the models, committed, and true to every shipped file."""

from __future__ import annotations

import json
from datetime import date

import jsonschema
import pytest
import yaml

from conftest import DATA, FIXTURES, REPO
from peelcli.export import plain as export_plain
from peelcli.schema.generate import PYDANTIC_VERSION, TARGET, generate
from peelcli.schema.jsonschema import force_schema_text

COMMITTED = REPO / "schema" / "force.schema.json"
FORCE_FILES = sorted((DATA / "forces").glob("*.yaml"))


class _Loader(yaml.SafeLoader):
    """PyYAML, with dates kept as text as check-jsonschema and editors see them."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


COMPILED = json.loads(TARGET.read_text(encoding="utf-8"))
SAME_PYDANTIC = COMPILED["pydantic"] == PYDANTIC_VERSION
"""Generated text is compared exactly only under the pydantic that generated it: another release
may word the same schema differently, and peel supports every release from its lower bound."""


@pytest.mark.skipif(not SAME_PYDANTIC, reason=f"generated with pydantic {COMPILED['pydantic']}")
def test_the_committed_schema_matches_the_models(peel):
    assert COMMITTED.read_text(encoding="utf-8") == force_schema_text(), "run: peel schema > schema/force.schema.json"
    assert peel("schema").stdout == force_schema_text()


@pytest.mark.skipif(not SAME_PYDANTIC, reason=f"generated with pydantic {COMPILED['pydantic']}")
def test_the_compiled_model_matches_the_models():
    assert TARGET.read_text(encoding="utf-8") == generate(), "run: python -m peelcli.schema.generate"


def test_the_compiled_model_has_the_models_fields_under_any_pydantic():
    fresh = json.loads(generate())
    for part in ("records", "keys", "required", "dates"):
        assert COMPILED[part] == fresh[part], f"{part} drifted: run python -m peelcli.schema.generate"


@pytest.mark.parametrize("path", [*FORCE_FILES, *sorted((FIXTURES / "valid").glob("*.yaml"))], ids=lambda p: p.stem)
def test_the_compiled_model_reads_every_valid_file_as_the_models_do(path):
    """The committed core schema, run by whichever pydantic-core is installed, builds the same
    values as the pydantic models built by the installed pydantic."""
    from peelcli.reader import read_force
    from peelcli.schema.model import ForceFile

    reading = read_force(path.read_bytes(), path.name, slug=path.stem, today=date(2026, 11, 26))
    assert reading.ok, reading.problems
    model = ForceFile.model_validate(reading.document.value, strict=True)
    assert export_plain(reading.force) == model.model_dump(by_alias=True)


def test_the_schema_is_valid_draft_2020_12():
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", FORCE_FILES, ids=lambda p: p.stem)
def test_every_shipped_force_file_validates_against_the_schema(path):
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize("path", FORCE_FILES, ids=lambda p: p.stem)
def test_every_force_file_points_editors_at_the_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/force.schema.json"
    assert (path.parent / "../../schema/force.schema.json").resolve() == COMMITTED.resolve()


def test_the_schema_rejects_what_peel_rejects():
    schema = json.loads(COMMITTED.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"slug": "x", "name": "X", "titel": "typo"})
    assert not validator.is_valid({"slug": "x", "name": "X", "phase_changes": [{"phase": "maybe"}]})
    assert validator.is_valid({"slug": "x", "name": "X"})
