"""The 43 territorial forces of England and Wales, known by slug and official name.

``data/registry.yaml`` lets ``peel status`` list every force, including those with no file
(Scan by default, with no recorded history), and gives ``peel add-force`` its official name.
"""

from __future__ import annotations

from pathlib import Path

from .files import display_path, read_bytes
from .problems import PeelError, Problem
from .schema.records import RegistryFile

_cache: dict[Path, dict[str, str]] = {}


def load_registry(path: Path) -> dict[str, str]:
    """Slug to name; an empty registry where the ledger has none. Refuses a broken one."""
    if path not in _cache:
        if not path.exists():
            return {}
        registry, problems = read_registry(read_bytes(path), display_path(path))
        if registry is None or any(p.is_error for p in problems):
            raise PeelError(problems)
        _cache[path] = {entry.slug: entry.name for entry in registry.forces}
    return _cache[path]


def read_registry(data: bytes, name: str) -> tuple[RegistryFile | None, list[Problem]]:
    from .reader import locate, read_record

    registry, document, problems = read_record(data, name, "RegistryFile")
    if registry is None:
        return None, problems
    known = {s.id for s in registry.sources}
    seen: set[str] = set()
    for i, entry in enumerate(registry.forces):
        if entry.slug in seen:
            problems.append(
                locate(document, Problem(f"slug {entry.slug!r} is listed twice", path=("forces", i, "slug")))
            )
        seen.add(entry.slug)
        for j, cited in enumerate(entry.sources):
            if cited not in known:
                where = ("forces", i, "sources", j)
                problems.append(locate(document, Problem(f"no source with id {cited!r}", path=where)))
    return registry, problems
