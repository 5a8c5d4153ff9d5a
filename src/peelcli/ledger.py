"""The ledger folder: where it is, which forces it holds, and reading and editing them.

Finding the data folder, resolving a user's FORCE to a file, loading force files through
:func:`peelcli.reader.read_force` (the one reader) and editing them under a lock. The file
primitives themselves (plain-file reads, atomic writes) are :mod:`peelcli.files`.
"""

from __future__ import annotations

import difflib
import os
import re
from datetime import date
from pathlib import Path
from typing import NamedTuple

from .files import display_path, folder_lock, inside_package, read_bytes, write_file
from .problems import PeelError, Problem, usage_error
from .schema.names import FIRE_SLUG_SUFFIX, SLUG_RULE, name_key

FORCES = "forces"
REGISTRY = "registry.yaml"
ENV_DATA_DIR = "PEEL_DATA_DIR"
LOCK_INFO = ".peel-lock"
"""Beside the forces folder (whose flock is the lock): the holder's pid and command, while held."""
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def find_data_dir(option: str | None, environ: dict | None = None, cwd: Path | None = None) -> Path:
    """``--data-dir``, else ``$PEEL_DATA_DIR``, else ``./data`` holding ``forces/``, else the
    working folder when it holds ``forces/``, else the ledger shipped inside the package."""
    return find_ledger(option, environ, cwd).root


def find_ledger(option: str | None, environ: dict | None = None, cwd: Path | None = None) -> Ledger:
    """The ledger a command works on (see :func:`find_data_dir`); one found only because no
    other was named is the ledger shipped with peel, which editing commands refuse to change."""
    environ = os.environ if environ is None else environ
    cwd = Path.cwd() if cwd is None else cwd
    chosen = option or environ.get(ENV_DATA_DIR)
    if chosen:
        path = Path(chosen)
        if not (path / FORCES).is_dir():
            where = "--data-dir" if option else ENV_DATA_DIR
            raise usage_error(f"{where} {chosen}: no ledger there (expected a folder holding {FORCES}/)")
        return Ledger(path)
    for folder in (cwd / "data", cwd):
        if (folder / FORCES).is_dir():
            return Ledger(folder)
    return Ledger(packaged_data_dir(), shipped=True)


def packaged_data_dir() -> Path:
    """The ledger shipped with peel (:func:`~peelcli.files.shipped_ledger`)."""
    from .files import shipped_ledger

    found = shipped_ledger()
    if found is None:
        raise usage_error("no ledger found: pass --data-dir or set PEEL_DATA_DIR")
    return found


def check_slug(slug: str) -> str:
    if not isinstance(slug, str) or not is_slug(slug):
        shown = slug.replace("\x00", "\\0") if isinstance(slug, str) else repr(slug)
        raise PeelError(f"{shown!r} is not a force slug: use {SLUG_RULE}")
    return slug


def is_slug(text: str) -> bool:
    return bool(_SLUG.fullmatch(text)) and len(text) <= 64


def read_force_file(path: Path, *, today: date, within: Path | None = None, keep: bool = True):
    """Read and check one force file. ``within`` is the folder it was found in: a symbolic
    link out of it is refused unread; ``keep``: see :func:`peelcli.reader.read_force`."""
    from .reader import ForceReading

    name = display_path(path)
    try:
        data = read_bytes(path, name, within=within)
    except PeelError as exc:
        return ForceReading(name, None, None, exc.problems)
    return force_reading(data, path, today=today, name=name, keep=keep)


def force_reading(data: bytes, path: Path, *, today: date, name: str | None = None, keep: bool = True):
    """Check a force file's bytes; the slug it must carry is its file name, and a file whose
    name is no slug is told so (and checked all the same). ``name``: the path as messages show it;
    ``keep``: see :func:`peelcli.reader.read_force`."""
    from .reader import read_force

    name = name or display_path(path)
    stem = path.name[: -len(".yaml")] if path.name.endswith(".yaml") else None
    if stem is None or is_slug(stem):
        return read_force(data, name, slug=stem, today=today, keep=keep)
    reading = read_force(data, name, slug=None, today=today, keep=keep)
    return reading._replace(problems=[stray_problem(path, reading), *reading.problems])


def yaml_files(folder: Path) -> list[Path]:
    """The ``*.yaml`` files of a folder, sorted; hidden ones (a killed edit's temporary file)
    are not the ledger's. A folder that cannot be listed is refused: a ledger that seems empty
    because it could not be read would be reported as valid, or as having no forces."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".yaml") and not e.name.startswith("."))
    except OSError as exc:
        raise PeelError(Problem(f"cannot read this folder: {exc.strerror or exc}").at(display_path(folder))) from None
    return [folder / name for name in names]


def stray_problem(path: Path, reading=None, severity: str = "error") -> Problem:
    """A ``*.yaml`` file in the forces folder whose name is no force's slug (``Kent.yaml``,
    ``west-midlands.orig.yaml``): peel cannot tell which force it is, so it reads it as none."""
    value = reading.document.value if reading is not None and reading.document is not None else None
    slug = value.get("slug") if isinstance(value, dict) else None
    slug = slug if isinstance(slug, str) and is_slug(slug) else None
    problem = Problem(
        f"file name {path.name!r} is not <slug>.yaml ({SLUG_RULE}): peel skips it; rename it "
        f"{slug or '<slug>'}.yaml, or move it out of the forces folder if it is a copy",
        severity,  # type: ignore[arg-type]
    )
    if reading is not None and reading.document is not None:
        from .reader import locate

        return locate(reading.document, problem._replace(path=("slug",)))
    return problem.at(display_path(path))


def _texts(values) -> list[str]:
    """The texts of a list read from YAML, whatever else it holds."""
    return [value for value in values if isinstance(value, str) and value.strip()] if isinstance(values, list) else []


class Ledger:
    """A ledger folder: ``forces/<slug>.yaml`` and, optionally, ``registry.yaml`` and the
    schema editors read (``schema/force.schema.json``)."""

    __slots__ = ("root", "shipped")

    def __init__(self, root: Path, *, shipped: bool = False):
        self.root = root
        self.shipped = shipped or inside_package(root)
        """The ledger shipped with peel: read, never edited (a reinstall would lose the edit)."""

    @property
    def forces_dir(self) -> Path:
        return self.root / FORCES

    def listing(self) -> tuple[list[str], list[Path]]:
        """The forces folder in one look: the slugs of its force files (``<slug>.yaml``, whatever
        kind of file: reading refuses one that is not a plain file), sorted, and the ``*.yaml``
        files whose name is no slug (reported and skipped, never fatal)."""
        slugs, strays = [], []
        for path in yaml_files(self.forces_dir):
            stem = path.name[: -len(".yaml")]
            if is_slug(stem):
                slugs.append(stem)
            else:
                strays.append(path)
        return slugs, strays

    def slugs(self) -> list[str]:
        """Slugs of the force files present (``<slug>.yaml``), sorted."""
        return self.listing()[0]

    def path_of(self, slug: str) -> Path:
        return self.forces_dir / f"{check_slug(slug)}.yaml"

    def load(self, force: str, *, today: date):
        """The force a user named, validated; refused with its errors when the file is invalid.

        Every command that reads a force goes through here."""
        reading = self.read(self.resolve(force), today=today)
        if not reading.ok:
            raise _refused(reading.errors)
        return reading.force

    def read(self, slug: str, *, today: date, keep: bool = True):
        """One force file read and checked (:class:`~peelcli.reader.ForceReading`), refused
        unread when it is a link out of the forces folder. ``keep=False``: for a command that reads
        each file once, file after file (see :func:`peelcli.reader.read_force`)."""
        return read_force_file(self.path_of(slug), today=today, within=self.forces_dir, keep=keep)

    def registry(self):
        """Every territorial force by slug and name (:class:`~peelcli.registry.Registry`): the
        ledger's own ``registry.yaml``, else the one shipped with peel."""
        from .registry import load_registry

        own = self.root / REGISTRY
        if own.exists() or own.is_symlink():
            return load_registry(own)
        return load_registry(packaged_data_dir() / REGISTRY)

    def counted_sectors(self, choice: str) -> tuple[str, ...]:
        """``--sector``'s choice as the sectors a national view counts, police first: the one
        asked for, or, for ``all``, each sector the ledger knows (its registry's entries or its
        files), so a ledger of police forces alone reads as it always did."""
        from .schema.names import SECTORS, chosen_sectors

        if choice != "all":
            return chosen_sectors(choice)
        registry = self.registry()
        known = {registry.sector_of(slug) for slug in (*registry.names, *self.slugs())}
        return tuple(sector for sector in SECTORS if sector in known) or ("police",)

    def force_names(self) -> dict[str, tuple[str, ...]]:
        """Each force with a file, by slug, with the names the registry gives it (its name first,
        then its other names): what a FORCE argument may be completed to. Read as plain YAML,
        without checking the registry's types, so completion stays fast; a registry peel cannot
        read gives no names (peel validate says why), only the slugs."""
        from .yamlsource import decode, parse

        own = self.root / REGISTRY
        path = own if own.exists() or own.is_symlink() else packaged_data_dir() / REGISTRY
        names: dict[str, tuple[str, ...]] = {slug: () for slug in self.slugs()}
        try:
            text, bom = decode(read_bytes(path, within=path.parent), display_path(path))
            entries = parse(text, display_path(path), bom).value.get("forces")
        except (PeelError, AttributeError):
            return names
        for entry in entries if isinstance(entries, list) else []:
            slug = entry.get("slug") if isinstance(entry, dict) else None
            if slug in names:
                others = [*_texts(entry.get("also_known_as")), *_texts(entry.get("former_names"))]
                names[slug] = tuple(dict.fromkeys([*_texts([entry.get("name")]), *others]))
        return names

    def resolve(self, force: str) -> str:
        """A user's FORCE argument to a slug with a file, or a refusal that suggests the nearest.

        FORCE is a slug, a force's or service's name as the registry or HMICFRS spells it (any
        case, "&" or "and", "FRS"), another name it goes by ("Met", "GMP", "LFB"), or the name of
        an area whose only body on record is a fire and rescue service ("buckinghamshire": no
        police force has that name). A police force's slug is always the force: where the user
        may have meant the county's service, refusals name it too."""
        slugs = self.slugs()
        if force in slugs:
            return force
        registry = self.registry()
        wanted = name_key(force)
        by_name = {name_key(name): slug for slug, name in registry.names.items()}
        by_name.update((name_key(other), slug) for other, slug in registry.known_as.items())
        slugified = re.sub(r"[^a-z0-9]+", "-", wanted).strip("-")
        known = set(slugs) | set(registry.names)
        service = slugified + FIRE_SLUG_SUFFIX
        found = by_name.get(wanted) or next((slug for slug in (slugified, service) if slug in known), None)
        if found in slugs:
            return found
        if found in registry.names:
            sibling = _sibling_hint([found], known, registry)
            raise PeelError(self._no_file(found, registry.names[found]) + sibling)
        if any(ch in force for ch in "/\\\0") or force.startswith("."):
            check_slug(force)  # a path, not a name: say so rather than guess
        choices = sorted(known)
        near = difflib.get_close_matches(slugified or wanted, choices, n=3, cutoff=0.5)
        both = any(registry.sector_of(slug) == "fire" for slug in choices)
        what, listed = ("force or service", "forces and services") if both else ("force", "forces")
        hint = f": did you mean {', '.join(near)}?" if near else f": run 'peel status' to list {listed}"
        raise PeelError(f"unknown {what} {force!r}{hint}{_sibling_hint(near, known, registry)}")

    def _no_file(self, slug: str, name: str) -> str:
        """A registered force with no file here, and the way to start one that works in this
        ledger: the one shipped with peel is never edited, so there it is a ledger of one's own."""
        said = f"{name} ({slug}) has no file in this ledger: it is in Scan by default with nothing on record"
        if self.shipped:
            return (
                f"{said}. This is the ledger shipped with peel, which peel does not edit: to record {name}, start a "
                f"ledger of your own with 'peel init DIR', then run 'peel add-force {slug}' in DIR"
            )
        return f"{said}; start one with: peel add-force {slug}"

    # -- writing --------------------------------------------------------------------------

    def locked(self):
        """An exclusive lock on the forces folder around read-modify-write, so that concurrent
        peel processes queue instead of overwriting each other's edits (see
        :func:`~peelcli.files.folder_lock`: an edit must not hang in silence behind a stopped
        process)."""
        return folder_lock(
            self.forces_dir, lock="the ledger lock", info=self.root / LOCK_INFO, folder_name="the forces folder"
        )

    def edit(self, force: str, change, *, today: date, dry_run: bool = False, **request) -> EditOutcome:
        """Read-modify-write one force file under the ledger lock.

        ``change`` is one of the functions of :mod:`peelcli.edits`, called as
        ``change(force, document, today=today, **request)``; it returns an
        :class:`~peelcli.edits.Edit`. The file must be valid before, and the result is checked
        with the same reader as ``peel validate``: an edit that would leave errors, or record a
        fact beyond how far the force's record was checked, is refused and nothing is written.
        """
        return self.edit_all(force, [(change, request)], today=today, dry_run=dry_run)

    def edit_all(
        self, force: str, steps: list[tuple], *, today: date, dry_run: bool = False, new_file: str | None = None
    ) -> EditOutcome:
        """Several edits of one force file as one: each ``(change, request)`` applies to the text
        the one before left, under one lock; the file is written once, or not at all when any
        step is refused (``peel ingest --apply`` records a letter's changes this way).

        ``new_file`` is the text of a force file to start from when there is none yet (``force``
        is then its slug): it is written only with the edits, and never over an existing file."""
        from .edits import Edit
        from .reader import read_force

        if not dry_run:
            self.check_own()
        slug = check_slug(force) if new_file is not None else self.resolve(force)
        path = self.path_of(slug)
        name = display_path(path)
        self.check_writable(path)
        with self.locked():
            if new_file is not None:
                if path.exists() or path.is_symlink():
                    raise PeelError(f"{name} already exists: refusing to overwrite it")
                before = b""
                reading = read_force(new_file.encode("utf-8"), name, slug=slug, today=today)
            else:
                before = read_bytes(path, within=self.forces_dir)
                reading = read_force(before, name, slug=slug, today=today)
            if not reading.ok:
                raise PeelError(
                    [
                        *reading.errors,
                        Problem(f"{name} is already invalid: fix it first (peel validate shows every problem)"),
                    ]
                )
            data, edits = new_file.encode("utf-8") if new_file is not None else before, []
            for number, (change, request) in enumerate(steps, 1):
                step = f"change {number} of {len(steps)}: " if len(steps) > 1 else ""
                edit, data, reading = _step(reading, name, slug, change, request, today, step)
                edits.append(edit)
            if not dry_run and data != before:
                write_file(path, data, exclusive=new_file is not None)
        if len(edits) == 1:
            edit = edits[0]
        else:
            summary = "\n".join(e.summary for e in edits)
            edit = Edit(data.decode("utf-8-sig"), summary, tuple(w for e in edits for w in e.warnings))
        return EditOutcome(edit, name, _diff(before, data, name))

    def create(self, slug: str, text: str, *, today: date, dry_run: bool = False) -> EditOutcome:
        """Write a new force file, refusing to replace one that exists. A ledger without the
        schema its files point editors at gets one (``schema/force.schema.json``)."""
        from .edits import Edit
        from .reader import read_force

        self.check_own()
        path = self.path_of(slug)
        name = display_path(path)
        data = text.encode("utf-8")
        result = read_force(data, name, slug=slug, today=today)
        if not result.ok:
            raise PeelError(result.errors)
        summary, warnings = f"{slug}: created {name}", ()
        with self.locked():
            if path.exists() or path.is_symlink():
                raise PeelError(f"{name} already exists: refusing to overwrite it")
            if not dry_run:
                write_file(path, data, exclusive=True)
                if self.own_schema() is None:
                    try:
                        schema = self.write_schema()
                        summary += f" (and {display_path(schema)}, which editors read to check it as you type)"
                    except PeelError as exc:
                        warnings = (f"no schema for editors beside the ledger ({exc.problems[0]}): peel init adds it",)
        return EditOutcome(Edit(text, summary, warnings), name, _diff(b"", data, name))

    def check_own(self) -> None:
        """Refuse to edit the ledger shipped with peel: say how to start one of one's own."""
        if self.shipped:
            raise PeelError(
                f"{display_path(self.root)} is the ledger shipped with peel: peel does not edit it (a reinstall "
                "would lose the change). Start a ledger of your own with 'peel init DIR', then run peel in DIR "
                "(or 'peel --data-dir DIR ...', or set PEEL_DATA_DIR=DIR)"
            )

    SCHEMA = Path("schema") / "force.schema.json"

    def own_schema(self) -> Path | None:
        """The schema beside this ledger: its own (``schema/``), or the repository's when the
        ledger is a repository's ``data/`` folder; ``None`` when it has neither."""
        for schema in (self.root / self.SCHEMA, self.root / ".." / self.SCHEMA):
            if schema.is_file():
                return schema
        return None

    def write_schema(self) -> Path:
        """Write (or bring up to date) the ledger's own copy of the force-file schema."""
        from .schema.jsonschema import force_schema_text

        schema = self.root / self.SCHEMA
        try:
            schema.parent.mkdir(exist_ok=True)
        except OSError as exc:
            where = display_path(schema.parent)
            raise PeelError(Problem(f"cannot make the folder: {exc.strerror or exc}").at(where)) from None
        write_file(schema, force_schema_text().encode("utf-8"))
        return schema

    def schema_reference(self) -> str:
        """The force-file JSON Schema as a path relative to the forces folder, inside the
        ledger's own folder tree, so it works on every machine the ledger is checked out on."""
        schema = self.own_schema() or self.root / self.SCHEMA
        return Path(os.path.relpath(schema.absolute(), self.forces_dir.absolute())).as_posix()

    def load_all(self, *, today: date, strict: bool = False) -> tuple:
        """Every valid force file. Invalid ones are left out (peel validate reports them), or,
        when ``strict``, refused with every problem: an export or a comparison that quietly left
        out a force would mislead whoever reads it."""
        readings = Readings(self, today=today, keep=True)
        forces = tuple(force for force in map(readings.force, readings.slugs) if force is not None)
        if strict:
            readings.refuse()
        return forces

    def check_writable(self, path: Path) -> None:
        """Refuse to write through a symbolic link or to a file outside the ledger."""
        if path.resolve().parent != self.forces_dir.resolve():
            why = "a symbolic link to a file" if path.is_symlink() else "a file"
            raise PeelError(
                Problem(f"is {why} outside the ledger's forces folder: refusing to write").at(display_path(path))
            )


class Readings:
    """The ledger's force files read one at a time, as a command asks for each, with the problems
    of every invalid one kept to be reported together (:meth:`refuse`): a command that writes each
    force as it reads it (``peel export``) holds one force at a time, and still refuses a ledger
    with an invalid file anywhere, saying every problem, as :meth:`Ledger.load_all` does."""

    def __init__(self, ledger: Ledger, *, today: date, keep: bool = False) -> None:
        self.ledger, self.today, self.keep = ledger, today, keep
        self.slugs, strays = ledger.listing()
        """The slugs of the force files, sorted."""
        self._strays = [stray_problem(path) for path in strays]
        self._problems: dict[str, list[Problem]] = {}

    def force(self, slug: str):
        """``slug``'s force, read and checked now; ``None`` when its file is invalid (its
        problems are kept for :meth:`refuse`)."""
        reading = self.ledger.read(slug, today=self.today, keep=self.keep)
        if reading.ok:
            self._problems.pop(slug, None)
            return reading.force
        self._problems[slug] = reading.errors
        return None

    def check(self, slugs) -> None:
        """Read and check each of ``slugs``, keeping only the problems."""
        for slug in slugs:
            self.force(slug)

    def refuse(self) -> None:
        """Refuse, with every problem found (stray files first, then the files in the folder's
        order), when any file read was invalid or a file's name is no slug."""
        problems = [*self._strays, *(p for slug in self.slugs for p in self._problems.get(slug, ()))]
        if problems:
            raise _refused(problems)


def _refused(problems: list[Problem]) -> PeelError:
    """A command refused because force files are invalid: their problems, then what to do."""
    return PeelError([*problems, Problem("fix the errors above (peel validate shows them all)")])


def _step(reading, name: str, slug: str, change, request: dict, today: date, step: str) -> tuple:
    """One edit of a valid reading: the edit, the new bytes and their reading, or a refusal."""
    from dataclasses import replace

    from .edits import past_the_record
    from .reader import locate, read_force

    try:
        edit = change(reading.force, reading.document, today=today, **request)
    except PeelError as exc:
        # A refusal about a record in the file is shown at its line and column.
        problems = [locate(reading.document, p) if p.path and p.file is None else p for p in exc.problems]
        raise PeelError([p._replace(message=step + p.message) for p in problems], exc.exit_code) from None
    after = (b"\xef\xbb\xbf" if reading.document.bom else b"") + edit.text.encode("utf-8")
    result = read_force(after, name, slug=slug, today=today)
    late = past_the_record(reading.force, result.force) if result.force is not None else None
    if late:
        raise PeelError(f"{step}{late}")
    if not result.ok:
        raise PeelError([*result.errors, Problem(f"{step}the edit would leave the file invalid: nothing was written")])
    if edit.recheck:
        before = {p.message for p in reading.problems if not p.is_error}
        new = tuple(f"{p.location()}: {p.message}" for p in result.problems if p.message not in before)
        edit = replace(edit, warnings=(*edit.warnings, *new))
    return edit, after, result


def _sibling_hint(slugs: list[str], known: set[str], registry) -> str:
    """For a police force named, the county's fire and rescue service beside it (and the other
    way round), where the user may have meant it: "; Gloucestershire Fire and Rescue Service is
    gloucestershire-fire"."""
    told = []
    for slug in slugs:
        sibling = slug.removesuffix(FIRE_SLUG_SUFFIX) if slug.endswith(FIRE_SLUG_SUFFIX) else slug + FIRE_SLUG_SUFFIX
        if sibling in known and sibling not in slugs and sibling not in told:
            told.append(sibling)
    return "".join(f"; {registry.names.get(s, s)} is {s}" for s in told)


class EditOutcome(NamedTuple):
    edit: object
    path: str
    diff: str


def _diff(before: bytes, after: bytes, name: str) -> str:
    import difflib

    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))
