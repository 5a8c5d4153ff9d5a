"""Compile the pydantic models into ``compiled.json``: ``python -m peelcli.schema.generate``.

pydantic builds a model's validator by generating a core schema in Python (tens of
milliseconds for peel's models) and handing it to pydantic-core (Rust, well under a
millisecond). The core schema is plain data, so it is generated once, here, and committed:
each run only hands it to pydantic-core (:mod:`.records`). Model classes in the schema become
``{"$record": name}`` and peel's validators ``{"$function": name}``; the JSON-schema and
serialisation parts are dropped, since runs only validate. ``--check`` exits 1 when the
committed file differs from what the models give (``tests/test_schema.py`` runs it).
"""

from __future__ import annotations

import json
import sys
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic.version import VERSION as PYDANTIC_VERSION

from ..dates import PartialDate
from . import model, scalars

TARGET = Path(__file__).with_name("compiled.json")
FUNCTIONS = {
    scalars.partial_date: "partial_date",
    scalars.number: "number",
    scalars.web_address: "web_address",
    list: "list",
}
_DROP = {"metadata", "serialization", "json_schema_input_schema"}


def _models() -> list[type[model.Record]]:
    """Every model reachable from the roots, bases before subclasses."""
    found: list[type[model.Record]] = []

    def visit(cls: type) -> None:
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or cls is model.Record or cls in found:
            return
        for base in cls.__bases__:
            visit(base)
        found.append(cls)
        for info in cls.model_fields.values():
            for inner in _classes_in(info.annotation):
                visit(inner)

    for root in model.ROOTS:
        visit(root)
    return found


def _classes_in(annotation: object) -> list[type]:
    if isinstance(annotation, type):
        return [annotation]
    return [c for arg in typing.get_args(annotation) for c in _classes_in(arg)]


def _nested(annotation: object) -> str | None:
    for cls in _classes_in(annotation):
        if issubclass(cls, BaseModel):
            return cls.__name__
    return None


def _clean(value: object, refs: dict[str, str]) -> object:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in _DROP:
                continue
            if key == "cls":
                out[key] = {"$record": item.__name__}
            elif key in ("ref", "schema_ref"):
                out[key] = refs.setdefault(item, item.split(":")[0].rsplit(".", 1)[-1])
            else:
                out[key] = _clean(item, refs)
        return out
    if isinstance(value, list | tuple):
        return [_clean(item, refs) for item in value]
    if callable(value):
        return {"$function": FUNCTIONS[value]}
    return value


def compiled() -> dict:
    """Everything a run needs about the format, as plain data."""
    models = _models()
    refs: dict[str, str] = {}
    return {
        "generated_by": "python -m peelcli.schema.generate, from peelcli.schema.model: do not edit",
        "pydantic": PYDANTIC_VERSION,
        "records": {
            "$records": {cls.__name__: next((b.__name__ for b in cls.__bases__ if b in models), None) for cls in models}
        },
        "keys": {
            cls.__name__: {
                (info.alias or name): [name, _nested(info.annotation)] for name, info in cls.model_fields.items()
            }
            for cls in models
        },
        "required": {
            cls.__name__: [(info.alias or name) for name, info in cls.model_fields.items() if info.is_required()]
            for cls in models
        },
        "dates": {
            cls.__name__: [
                [(info.alias or name), name]
                for name, info in cls.model_fields.items()
                if PartialDate in _classes_in(info.annotation)
            ]
            for cls in models
        },
        "schemas": {root.__name__: _clean(root.__pydantic_core_schema__, refs) for root in model.ROOTS},
    }


def generate() -> str:
    return json.dumps(compiled(), indent=1, ensure_ascii=False) + "\n"


def main() -> int:
    text = generate()
    if "--check" in sys.argv:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            sys.stderr.write(f"{TARGET} is out of date: run python -m peelcli.schema.generate\n")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    sys.stdout.write(f"wrote {TARGET}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
