"""Build synthetic ledgers of 1, 43, 1,000 and 10,000 force files for the benchmarks.

    python bench/make_ledgers.py [OUT] [--sizes 1,43,1000,10000] [--rebuild]

Every synthetic file is a real one from ``data/forces`` with its slug, name, ids, dates and
texts varied:

* slug and name: the force's own for ``ledger-1`` (West Midlands) and for the real files in
  ``ledger-43``; the registry's other forces for the rest of ``ledger-43``; made-up places
  (``marsh-vale-00417``, "Marsh Vale Constabulary") in the larger ledgers;
* ids: about half renamed (a suffix), everywhere they are cited;
* dates: every year moved back by 0, 4, 8 or 12 years (a multiple of four keeps 29 February),
  consistently, so that the order of events and the deadlines derived from them still hold;
* texts: some titles, texts and evidence get a few words more.

Each ledger is ``OUT/ledger-N/forces/*.yaml`` (no registry, so that ``peel validate`` and the
baselines read exactly the same files) and is checked with ``peel validate`` once built: a
file that does not pass stops the build. A ledger already built by this version of the script
from the same real files is kept (``--rebuild`` rebuilds it). ``OUT`` defaults to ``bench/out``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = REPO / "data"
SIZES = (1, 43, 1000, 10000)
VERSION = 2
TODAY = "2026-11-26"

PLACES = [
    "Marsh Vale",
    "Northmoor",
    "East Hallam",
    "Severnside",
    "Upper Wyre",
    "Kestrel Downs",
    "Ashby Fens",
    "Westwold",
    "Greyhaven",
    "Calder Reach",
    "Southmarch",
    "Ironbridge Vale",
    "Thornwick",
    "Lowther Dales",
    "Brackenshire",
    "Redmere",
    "Hollins Cross",
    "Saltfleet",
    "Wealdon",
    "Carrow Heath",
]
SUFFIXES = ["Police", "Constabulary", "Police Service"]
FIRE_SUFFIXES = ["Fire and Rescue Service", "Fire Brigade"]
NAME_ENDING = r" (Police Service|Police|Constabulary|Fire and Rescue Service|Fire Brigade)$"
MORE_WORDS = [
    "as the letter records",
    "according to the force",
    "noted at the revisit",
    "in the inspectorate's words",
    "as published",
    "see the letter",
]
ID_CHARS = "A-Za-z0-9._-"
TEXT_LINE = re.compile(
    r"^(?P<head> *(?:- )?(?:title|text|evidence|note|reason): )(?P<value>[A-Za-z0-9][^#\n]*[A-Za-z0-9.)])$",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Template:
    """A real force file and what varies in it."""

    path: Path
    text: str
    slug: str
    name: str
    place: str
    ids: tuple[str, ...]
    fire: bool
    """A fire and rescue service's file (``sector: fire``): its copies are services too, whose
    slugs end in ``-fire`` and whose names say so, as ``peel validate`` requires."""


def templates() -> list[Template]:
    found = []
    for path in sorted((DATA / "forces").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        slug = re.search(r"^slug: (\S+)$", text, re.MULTILINE).group(1)
        name = re.search(r"^name: (.+)$", text, re.MULTILINE).group(1).strip().strip("\"'")
        place = re.sub(NAME_ENDING, "", name)
        ids = tuple(sorted(set(re.findall(r"^ *(?:- )?id: ([A-Za-z0-9._-]+) *$", text, re.MULTILINE)), key=len))
        fire = re.search(r"^sector: fire\s*$", text, re.MULTILINE) is not None
        found.append(Template(path, text, slug, name, place, ids, fire))
    if not found:
        raise SystemExit(f"no force files in {DATA / 'forces'}")
    return found


def _word(text: str) -> str:
    return rf"(?<![{ID_CHARS}]){re.escape(text)}(?![{ID_CHARS}])"


def vary(template: Template, slug: str, name: str, rng: random.Random) -> str:
    """``template`` as another force's file: new slug and name, renamed ids, years moved back,
    a few texts longer."""
    text = template.text
    # Ids first (longest last, so that an id that contains another is renamed whole).
    taken = set(template.ids)
    for old in sorted(template.ids, key=len, reverse=True):
        if rng.random() < 0.5:
            new = f"{old}-{rng.choice('abcdefghjkmnpqrstuvwxyz')}{rng.randrange(10)}"
            if len(new) <= 64 and new not in taken and new not in text:
                text = re.sub(_word(old), new, text)
                taken.add(new)
    # Years: one shift for the whole file keeps every order and every derived deadline.
    shift = -4 * rng.randrange(4)
    if shift:
        text = re.sub(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])", lambda m: str(int(m.group(1)) + shift), text)
    place = re.sub(NAME_ENDING, "", name)

    def address(match: re.Match) -> str:  # names in an address take hyphens, not spaces
        url = match.group(0)
        return url.replace(template.name, name.replace(" ", "-")).replace(template.place, place.replace(" ", "-"))

    text = re.sub(r"https?://[^\s'\"]+", address, text)
    text = text.replace(template.name, name).replace(template.place, place)
    text = re.sub(rf"(?<![a-z0-9]){re.escape(template.slug)}(?![a-z0-9])", slug, text)

    def longer(match: re.Match) -> str:
        if rng.random() < 0.3 and ": " not in match["value"]:
            return f"{match['head']}{match['value']} ({rng.choice(MORE_WORDS)})"
        return match.group(0)

    return TEXT_LINE.sub(longer, text)


def registry() -> list[tuple[str, str]]:
    text = (DATA / "registry.yaml").read_text(encoding="utf-8")
    pairs = re.findall(r"^  - slug: (\S+)\n    name: (.+)$", text, re.MULTILINE)
    return [(slug, name.strip().strip("\"'")) for slug, name in pairs]


def plan(size: int, found: list[Template]) -> list[tuple[Template, str, str, bool]]:
    """(template, slug, name, keep the real file as it is) for each file of a ledger."""
    by_slug = {t.slug: t for t in found}
    if size == 1:
        first = by_slug.get("west-midlands", found[0])
        return [(first, first.slug, first.name, True)]
    rng = random.Random(size)
    if size == 43:
        # The registry's first 43 entries are the police forces: each gets a police force's file.
        police = [t for t in found if not t.fire]
        out = []
        for slug, name in registry()[:43]:
            if slug in by_slug:
                out.append((by_slug[slug], slug, by_slug[slug].name, True))
            else:
                out.append((rng.choice(police), slug, name, False))
        return out
    out = []
    for n in range(size):
        template = found[n % len(found)]
        place = rng.choice(PLACES)
        slug = f"{place.lower().replace(' ', '-')}-{n:05d}" + ("-fire" if template.fire else "")
        name = f"{place} {rng.choice(FIRE_SUFFIXES if template.fire else SUFFIXES)}"
        out.append((template, slug, name, False))
    return out


def fingerprint(found: list[Template]) -> str:
    digest = hashlib.sha256(f"{VERSION}".encode())
    for template in found:
        digest.update(template.path.name.encode() + b"\0" + template.text.encode())
    return digest.hexdigest()[:16]


def peel_command() -> list[str]:
    """The venv's ``peel`` entry point (beside this Python, else in the checkout's ``.venv``),
    else ``peel`` on PATH, else ``python -m peelcli``."""
    for candidate in (Path(sys.executable).with_name("peel"), REPO / ".venv" / "bin" / "peel"):
        if candidate.exists():
            return [str(candidate)]
    found = shutil.which("peel")
    return [found] if found else [sys.executable, "-m", "peelcli"]


def peel_env() -> dict[str, str]:
    env = {**os.environ, "PEEL_TODAY": TODAY, "NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "100"}
    for key in ("PEEL_DATA_DIR", "GITHUB_ACTIONS"):
        env.pop(key, None)
    return env


def build(out: Path, size: int, found: list[Template], *, rebuild: bool = False) -> Path:
    target = out / f"ledger-{size}"
    marker = target / ".made.json"
    stamp = {"version": VERSION, "files": size, "templates": fingerprint(found)}
    if not rebuild and marker.exists():
        try:
            if json.loads(marker.read_text()) == stamp:
                return target
        except ValueError:
            pass
    work = out / f".ledger-{size}.building"
    shutil.rmtree(work, ignore_errors=True)
    (work / "forces").mkdir(parents=True)
    rng = random.Random(size * 7919)
    for template, slug, name, keep in plan(size, found):
        text = template.text if keep else vary(template, slug, name, rng)
        (work / "forces" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    done = subprocess.run(
        [*peel_command(), "--data-dir", str(work), "validate"],
        env=peel_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        errors = [line for line in done.stdout.splitlines() if ": error: " in line]
        raise SystemExit(
            f"ledger-{size}: {len(errors)} errors in synthetic files (kept in {work}):\n" + "\n".join(errors[:20])
        )
    (work / ".made.json").write_text(json.dumps(stamp) + "\n")
    shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=HERE / "out", help="where to build (default bench/out)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="ledger sizes, comma-separated")
    parser.add_argument("--rebuild", action="store_true", help="rebuild ledgers that are already there")
    args = parser.parse_args(argv)
    found = templates()
    args.out.mkdir(parents=True, exist_ok=True)
    for size in (int(s) for s in args.sizes.split(",")):
        target = build(args.out, size, found, rebuild=args.rebuild)
        print(f"{target}: {size} force files, valid", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
