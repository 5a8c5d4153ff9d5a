"""``peel init DIR``: start a ledger of one's own, laid out as peel reads any ledger.

``DIR/forces/`` for the force files; ``DIR/registry.yaml``, a copy of the registry shipped with
peel (every territorial force by slug and name, with its sources), so that ``peel status`` lists
all 43 and ``peel add-force kent`` knows Kent's name; ``DIR/schema/force.schema.json``, so the
first line of every force file points editors at a schema by a relative path that travels with
the folder and works on every machine it is checked out on.

The copied registry leaves out how far the shipped ledger's record was searched
(``record_checked_to``, and each sector's under ``sectors``): that describes peel's own ledger,
not this one.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from .files import WriteError, display_path, inside_package, read_bytes, write_file
from .ledger import FORCES, REGISTRY, Ledger, packaged_data_dir
from .problems import PeelError, Problem

SEARCH_KEYS = ("record_checked_to", "record_checked_note", "sectors")
"""Keys of the shipped registry that speak for the shipped ledger only."""


class Started(NamedTuple):
    """What ``peel init`` did, for it to say: paths made or written, and those left alone."""

    made: list[Path]
    kept: list[Path]


def start_ledger(folder: Path) -> Started:
    """Make ``folder`` a ledger: its forces folder, registry and schema. A folder that already
    is one keeps its force files and registry; its schema is brought up to date."""
    if inside_package(folder):
        raise PeelError(
            Problem("is inside peel's installed package, which a reinstall replaces: choose another folder").at(
                display_path(folder)
            )
        )
    for above in (folder, *folder.parents):
        if above.exists() or above.is_symlink():
            if not above.is_dir():
                what = "a file" if above.exists() else "a symbolic link to nothing"
                raise PeelError(
                    Problem(f"is {what}, not a folder: peel init makes a ledger in a folder").at(display_path(above))
                )
            break
    made: list[Path] = []
    kept: list[Path] = []
    try:
        forces = folder / FORCES
        if forces.is_dir():
            kept.append(forces)
        else:
            _make_folder(forces)
            made.append(forces)
        registry = folder / REGISTRY
        if registry.exists() or registry.is_symlink():
            kept.append(registry)
        else:
            write_file(registry, registry_text().encode("utf-8"), exclusive=True)
            made.append(registry)
        made.append(Ledger(folder).write_schema())
    except PeelError as exc:
        if not made:
            raise
        first = exc.problems[0]
        if isinstance(exc, WriteError):  # its "nothing was changed" is true of that one file only
            first = first._replace(message=f"cannot write: {exc.reason}")
        done = ", ".join(display_path(path) for path in made)
        raise PeelError(
            [
                first,
                *exc.problems[1:],
                Problem(
                    f"{done} made before this, so {display_path(folder)} is not yet a whole ledger: run peel init "
                    "again once that is put right"
                ),
            ]
        ) from None
    return Started(made, kept)


def _make_folder(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PeelError(Problem(f"cannot make the folder: {exc.strerror or exc}").at(display_path(path))) from None


def registry_text() -> str:
    """The shipped registry as written (comments, sources and all), less how far the shipped
    ledger's record was searched."""
    from .textedit import Editor, apply
    from .yamlsource import decode, parse

    path = packaged_data_dir() / REGISTRY
    name = display_path(path)
    text, bom = decode(read_bytes(path, name), name)
    editor = Editor(parse(text, name, bom))
    splices = [splice for key in SEARCH_KEYS if (splice := editor.remove_key((key,))) is not None]
    return apply(text, splices)
