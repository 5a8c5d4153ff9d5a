"""peel's performance budgets, measured side by side on this machine in one run.

    python bench/run.py [--repeat 21] [--repeat-slow 5] [--out bench/out] [--check]

Builds the synthetic ledgers first if they are missing (``bench/make_ledgers.py``), then times
each command against its baseline, interleaving the two (A B A B ...) after warm-up runs, and
reports the median with the spread (interquartile range, min and max):

* ``peel status west-midlands`` (the shipped ledger) vs the Typer floor: at most 1.3 times as
  long. The floor (``bench/floor.py``) is a Typer app that does nothing, with peel's global
  options and ``status``'s parameters (the same types and option settings) and the same
  third-party imports as a run of ``peel status west-midlands`` (found first by running it with
  ``PYTHONPROFILEIMPORTTIME=1``; listed in ``OUT/floor-imports.txt``). Typer 0.29 imports
  pydantic and builds a pydantic adapter for every parameter of the command it runs: no Typer
  command line avoids that, so peel is held to what it adds to it;
* ``peel --help`` vs ``python -c "import typer"``: at most 1.3 times;
* ``peel validate`` over the 1,000-file ledger vs a Python loop that only parses the same files
  with PyYAML's C loader, ``yaml.load(f, Loader=yaml.CSafeLoader)``: at most 1.5 times;
* the same ``peel validate`` vs ``check-jsonschema --schemafile schema/force.schema.json`` on the
  same files (installed into ``OUT/check-jsonschema-venv`` if it is not importable): faster;
* peak memory (max RSS of a fresh process, from ``wait4``) of ``peel validate`` over 10,000 files
  vs over 43 files: at most 2 times;
* ``peel validate``, ``peel status``, ``peel export -f json`` and ``peel site`` over 10,000 files vs
  the same over 1,000 files: at most 12 times as long (ten times the files, so linear with a
  fifth to spare); and each under a ceiling, a multiple of the time PyYAML alone takes to parse
  the same 10,000 files, timed beside each command (:data:`SCALING`): a ceiling in seconds would
  move with the machine (the build machine's own speed has varied threefold between runs). A run
  that passes ``--timeout`` seconds is stopped and fails its budgets;
* peak memory of the same runs of ``peel export -f json`` and ``peel site``, over 10,000 files vs
  over 1,000: at most 1.6 times (:data:`FLAT`), for both stream;
* ``peel status``, ``history``, ``report`` and ``export`` of a force whose text is 1,000,000
  characters vs 100,000 (:data:`LONG_TEXT`): at most 12 times as long (``--only-long-text``).

peel runs through the venv's ``peel`` entry point (beside this Python), else ``peel`` on PATH,
else ``python -m peelcli``; the table says which. Every process gets ``PEEL_TODAY=2026-11-26``
and ``NO_COLOR=1``. The table is printed and written to ``OUT/results.json`` (and as Markdown to
``OUT/results.md``; with ``--publish`` to ``bench/results.md`` too, which docs/performance.md
shows, and in a few lines to ``bench/summary.md``, which README.md shows). ``--check`` exits 1
when a budget fails (by default the exit code is 0 once everything was measured).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_ledgers

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCHEMA = REPO / "schema" / "force.schema.json"
SCALING = (
    # (what, peel's arguments after --data-dir LEDGER ({out}: the results folder), the ceiling:
    # at most this many times as long as parsing the same 10,000 files with PyYAML alone, and
    # whether its peak memory must stay flat, at most FLAT times over 10,000 files what it is
    # over 1,000)
    ("validate", ["validate"], 1.5, False),
    ("status", ["status"], 4.0, False),
    ("export -f json", ["export", "-f", "json", "-o", "{out}/scaling-export.json"], 3.0, True),
    ("site", ["site", "{out}/scaling-site"], 10.0, True),
)
LINEAR = 12.0
"""Ten times the files in at most this many times the time: linear, with a fifth to spare."""
FLAT = 1.6
"""Ten times the files in at most this many times the peak memory. No file's records are held
past its turn, so what still grows is what a national view needs of every force at once: its
row of the index (kept pickled, about 500 bytes), and, for ``site``, its moves into and out of
Engage, which every page ranks as precedents, and its row of the national chart. That is about
2.5 KB a force against the 80 KB a force file's records took when they were all held (``site``
over 10,000 files peaked at 830 MB); on this machine it is 1.5 to 1.6 times the 1,000-file peak,
most of which (the interpreter, Typer, Rich, pydantic) does not grow at all. A run that held one
file's records per force again would need several times this."""
LONG_TEXT = (
    # (what, peel's arguments after --data-dir LEDGER): each prints a text of 100,000 and of
    # 1,000,000 characters, and may take at most LINEAR times as long for the longer
    ("status FORCE", ["status", "borsetshire"]),
    ("history FORCE", ["history", "borsetshire"]),
    ("status FORCE -f markdown", ["status", "borsetshire", "-f", "markdown"]),
    ("report FORCE -f html", ["report", "borsetshire", "-f", "html"]),
    ("export -f csv", ["export", "-f", "csv", "--out", "-"]),
    ("export -f json", ["export", "-f", "json", "--out", "-"]),
)
YAML_LOOP = (
    "import glob, sys, yaml\n"
    "for path in sorted(glob.glob(sys.argv[1] + '/*.yaml')):\n"
    "    with open(path, 'rb') as f:\n"
    "        yaml.load(f, Loader=yaml.CSafeLoader)\n"
)


@dataclass
class Samples:
    command: list[str]
    values: list[float]
    unit: str
    exit_codes: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    """CPU milliseconds (user and system) of each timed run: the work done, less the waiting that
    other work on the machine adds to the wall-clock time."""
    rss: list[float] = field(default_factory=list)
    """Peak memory (max RSS, KiB) of each timed run."""

    def memory(self) -> Samples:
        """The same runs' peak memory, as samples of their own."""
        return Samples(self.command, list(self.rss), "KiB", list(self.exit_codes))

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def spread(self) -> dict[str, float]:
        values = sorted(self.values)
        if len(values) >= 4:
            q1, _, q3 = statistics.quantiles(values, n=4)
        else:
            q1, q3 = values[0], values[-1]
        return {"p25": q1, "p75": q3, "min": values[0], "max": values[-1]}

    def show(self) -> str:
        s = self.spread()
        if self.unit == "ms":
            return f"{self.median:,.0f} ms [{s['p25']:,.0f}-{s['p75']:,.0f}]"
        return f"{self.median / 1024:,.1f} MiB [{s['min'] / 1024:,.1f}-{s['max'] / 1024:,.1f}]"


@dataclass
class Row:
    name: str
    peel: Samples | None
    baseline: Samples | None
    baseline_name: str
    budget: float | None
    comparison: str  # "ratio" (peel / baseline at most budget) or "faster" (ratio below 1)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.peel is None or self.baseline is None:
            return None
        return self.peel.median / self.baseline.median

    @property
    def cpu_ratio(self) -> float | None:
        """The same ratio in CPU time, for telling work from waiting (the budget is on wall time)."""
        if self.peel is None or self.baseline is None or not self.peel.cpu or not self.baseline.cpu:
            return None
        return statistics.median(self.peel.cpu) / statistics.median(self.baseline.cpu)

    @property
    def verdict(self) -> str:
        if self.peel is not None and any(code == TIMED_OUT for code in self.peel.exit_codes):
            return "FAIL"
        if self.ratio is None:
            return "n/a"
        limit = 1.0 if self.comparison == "faster" else self.budget
        ok = self.ratio < limit if self.comparison == "faster" else self.ratio <= limit
        return "PASS" if ok else "FAIL"

    def budget_text(self) -> str:
        return "< 1.00x (faster)" if self.comparison == "faster" else f"<= {self.budget:.2f}x"


TIMED_OUT = -9999
"""The exit code recorded for a run stopped at ``--timeout``."""


LAUNCHER = (
    "import os, sys\n"
    "pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "with open(sys.argv[1], 'w') as f:\n"
    "    f.write(f'{os.waitstatus_to_exitcode(status)} {usage.ru_maxrss}')\n"
)
"""Runs a command and writes its exit code and max RSS to a file. Linux counts in a child's max
RSS the resident size of the process that started it (the child's memory is the parent's until
it executes its program), so a command started straight from this script, which grows to 50 MB
while it builds the ledgers, would show at least that much: every memory row read 47.0 MiB. This
small interpreter (about 10 MB) starts each measured command instead."""


def run_once(
    command: list[str], env: dict, timeout: float | None = None, *, memory: bool = False
) -> tuple[float, int, int, float]:
    """Seconds, exit code, max RSS (KiB; 0 unless ``memory``, when the command is started by
    :data:`LAUNCHER`) and CPU seconds of one fresh process; a process still running after
    ``timeout`` seconds is killed and recorded with :data:`TIMED_OUT`."""
    report = None
    if memory:
        handle, report = tempfile.mkstemp(prefix="peel-bench-rss-")
        os.close(handle)
        command = [sys.executable, "-I", "-S", "-c", LAUNCHER, report, *command]
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )

    def kill() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # the launcher and the command it started

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    except BaseException:
        kill()
        process.wait()
        raise
    finally:
        if timer:
            timer.cancel()
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    rss = 0
    if report is not None:
        said = Path(report).read_text().split()
        os.unlink(report)
        if len(said) == 2:  # else the launcher was killed at the timeout, before the command ended
            process.returncode, rss = int(said[0]), int(said[1])
    if timeout and seconds >= timeout and process.returncode == -signal.SIGKILL:
        process.returncode = TIMED_OUT
    if sys.platform == "darwin":
        rss //= 1024
    return seconds, process.returncode, rss, usage.ru_utime + usage.ru_stime


def timed_pair(
    a: list[str], b: list[str], env: dict, repeat: int, warmup: int = 2, timeout: float | None = None
) -> tuple[Samples, Samples]:
    """Interleaved runs of ``a`` and ``b``, in milliseconds, after ``warmup`` runs of each."""
    first, second = timed_runs([a, b], env, repeat, warmup, timeout)
    return first, second


def timed_runs(
    commands: list[list[str]],
    env: dict,
    repeat: int,
    warmup: int = 2,
    timeout: float | None = None,
    *,
    memory: bool = False,
) -> list[Samples]:
    """Interleaved runs of each command, in milliseconds, after ``warmup`` runs of each: in order
    on even rounds and in reverse on odd ones (A B C, C B A, ...), so that each meets the load of
    the same moments as the others; ``memory``: with each run's peak memory too (see
    :data:`LAUNCHER`)."""
    for _ in range(warmup):
        for command in commands:
            run_once(command, env, timeout)
    found = [Samples(command, [], "ms") for command in commands]
    for n in range(repeat):
        order = list(zip(commands, found, strict=True))
        for command, samples in order if n % 2 == 0 else reversed(order):
            seconds, code, rss, cpu = run_once(command, env, timeout, memory=memory)
            samples.values.append(seconds * 1000)
            samples.exit_codes.append(code)
            samples.cpu.append(cpu * 1000)
            samples.rss.append(float(rss))
    return found


def peak_memory(command: list[str], env: dict, repeat: int) -> Samples:
    samples = Samples(command, [], "KiB")
    for _ in range(repeat):
        _, code, rss, _ = run_once(command, env, memory=True)
        samples.values.append(float(rss))
        samples.exit_codes.append(code)
    return samples


def check_jsonschema(out: Path) -> tuple[list[str] | None, str]:
    """A ``check-jsonschema`` command, installing it into its own venv if needed; or ``None``
    and why not."""
    if importlib.util.find_spec("check_jsonschema") is not None:
        return [sys.executable, "-m", "check_jsonschema"], "importable here"
    venv = out / "check-jsonschema-venv"
    binary = venv / ("Scripts" if os.name == "nt" else "bin")
    tool = binary / "check-jsonschema"
    if not tool.exists():
        print(f"installing check-jsonschema into {venv} ...", flush=True)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
            subprocess.run(
                [str(binary / "python"), "-m", "pip", "install", "--quiet", "check-jsonschema"],
                check=True,
                capture_output=True,
                text=True,
                timeout=600,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            detail = getattr(exc, "stderr", None) or str(exc)
            lines = [line for line in str(detail).strip().splitlines() if line.strip()]
            return None, f"could not install check-jsonschema: {lines[-1] if lines else exc}"
    version = subprocess.run([str(tool), "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return [str(tool)], f"{version or 'check-jsonschema'} in {venv}"


def use_the_venv() -> None:
    """Run again with the checkout's ``.venv`` Python when this one lacks peel's dependencies
    (``python bench/run.py`` with the system Python after the README's install)."""
    if all(importlib.util.find_spec(name) for name in ("typer", "rich", "pydantic", "yaml", "peelcli")):
        return
    venv_python = REPO / ".venv" / "bin" / "python"
    if venv_python.exists() and not os.environ.get("PEEL_BENCH_REEXEC"):
        os.environ["PEEL_BENCH_REEXEC"] = "1"
        os.execv(str(venv_python), [str(venv_python), str(Path(__file__).resolve()), *sys.argv[1:]])
    raise SystemExit(
        f"{sys.executable} cannot import peel and its dependencies, and there is no {venv_python}: "
        "do the README's install first (python3 -m venv .venv && .venv/bin/pip install .)"
    )


def compile_peel() -> str:
    """Byte-compile the installed peel package, as pip does when it installs a wheel.

    An editable install runs peel from the source folder; where PYTHONDONTWRITEBYTECODE is set
    (this sandbox sets it) Python then never caches bytecode and every run recompiles all of
    peel's modules, while the baselines' libraries were compiled when pip installed them.
    Compiling first compares like with like."""
    import compileall

    spec = importlib.util.find_spec("peelcli")
    if spec is None or not spec.submodule_search_locations:
        return "peelcli not importable here: not compiled"
    folder = next(iter(spec.submodule_search_locations))
    ok = compileall.compile_dir(folder, quiet=1)
    return f"compiled {folder}" if ok else f"compiling {folder} failed"


def floor_imports(status: list[str], env: dict, out: Path) -> tuple[Path, list[str]]:
    """The third-party modules a run of ``status`` imports, in the order it imported them
    (``PYTHONPROFILEIMPORTTIME=1``: Python lists each import on stderr), written one a line to
    ``OUT/floor-imports.txt`` for ``bench/floor.py``; the file and the names."""
    done = subprocess.run(
        status, env={**env, "PYTHONPROFILEIMPORTTIME": "1"}, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(status)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    names: list[str] = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        name = line.rsplit("|", 1)[-1].strip()
        top = name.split(".")[0]
        if not name or " " in name or top in sys.stdlib_module_names or top == "peelcli" or name in names:
            continue
        names.append(name)
    path = out / "floor-imports.txt"
    path.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
    return path, names


def startup_and_validate(peel: list[str], python: str, env: dict, ledgers: dict, out: Path, args) -> list[Row]:
    """The start-up budgets (``status west-midlands``, ``--help``) and ``validate`` against PyYAML,
    check-jsonschema and its own memory over 43 files."""
    rows: list[Row] = []

    arguments = ["--data-dir", str(REPO / "data"), "status", "west-midlands"]
    imports, names = floor_imports([*peel, *arguments], env, out)
    print(f"timing peel status vs the Typer floor ({len(names)} third-party modules, {imports}) ...", flush=True)
    a, b = timed_pair([*peel, *arguments], [python, str(HERE / "floor.py"), str(imports), *arguments], env, args.repeat)
    note = f"the floor imports the {len(names)} third-party modules listed in {imports}"
    rows.append(Row("peel status west-midlands", a, b, "Typer floor (bench/floor.py)", 1.3, "ratio", note))

    print("timing peel --help ...", flush=True)
    a, b = timed_pair([*peel, "--help"], [python, "-c", "import typer"], env, args.repeat)
    rows.append(Row("peel --help", a, b, "import typer", 1.3, "ratio"))

    forces_1000 = ledgers[1000] / "forces"
    files_1000 = sorted(str(p) for p in forces_1000.glob("*.yaml"))
    validate_1000 = [*peel, "--data-dir", str(ledgers[1000]), "validate"]
    print("timing peel validate over 1,000 files vs PyYAML ...", flush=True)
    a, b = timed_pair(validate_1000, [python, "-c", YAML_LOOP, str(forces_1000)], env, args.repeat)
    rows.append(Row("peel validate, 1,000 files", a, b, "yaml.load(CSafeLoader) loop", 1.5, "ratio"))
    peel_1000 = a

    command, why = check_jsonschema(out)
    if command is None:
        print(f"check-jsonschema: {why}", flush=True)
        rows.append(Row("peel validate, 1,000 files", peel_1000, None, "check-jsonschema", None, "faster", why))
    else:
        print(f"timing check-jsonschema over 1,000 files ({why}) ...", flush=True)
        a, b = timed_pair(
            validate_1000,
            [*command, "--schemafile", str(SCHEMA), *files_1000],
            env,
            args.repeat_slow,
            warmup=1,
        )
        note = why
        if any(b.exit_codes):
            note += f"; it exited {sorted(set(b.exit_codes))} (it found problems peel does not, or failed)"
        rows.append(Row("peel validate, 1,000 files", a, b, "check-jsonschema", None, "faster", note))

    if 10000 in ledgers:
        print("measuring peak memory of peel validate over 10,000 and 43 files ...", flush=True)
        big = peak_memory([*peel, "--data-dir", str(ledgers[10000]), "validate"], env, args.repeat_slow)
        small = peak_memory([*peel, "--data-dir", str(ledgers[43]), "validate"], env, args.repeat_slow)
        rows.append(Row("peel validate max RSS, 10,000 files", big, small, "same, 43 files", 2.0, "ratio"))
    return rows


def scaling(peel: list[str], env: dict, ledgers: dict, out: Path, args) -> list[Row]:
    """Each command of :data:`SCALING` over 10,000 files vs over 1,000 (linear), and vs parsing
    the 10,000 files with PyYAML alone (its ceiling), the three interleaved."""
    parse = [sys.executable, "-c", YAML_LOOP, str(ledgers[10000] / "forces")]
    rows: list[Row] = []
    for what, arguments, ceiling, flat in SCALING:
        commands = {
            size: [*peel, "--data-dir", str(ledgers[size]), *(a.format(out=out) for a in arguments)]
            for size in (1000, 10000)
        }
        print(f"timing peel {what} over 10,000 and 1,000 files, and PyYAML alone over 10,000 ...", flush=True)
        big, small, parsed = timed_runs(
            [commands[10000], commands[1000], parse],
            env,
            args.repeat_scaling,
            warmup=0,
            timeout=args.timeout,
            memory=flat,
        )
        name = f"peel {what}, 10,000 files"
        rows.append(Row(name, big, small, "same, 1,000 files", LINEAR, "ratio"))
        rows.append(Row(name, big, parsed, "yaml.load(CSafeLoader) loop, 10,000 files", ceiling, "ratio"))
        if flat:
            memory = f"peel {what} max RSS, 10,000 files"
            rows.append(Row(memory, big.memory(), small.memory(), "same, 1,000 files", FLAT, "ratio"))
    return rows


def long_text_ledger(out: Path, length: int) -> Path:
    """A ledger of one made-up force whose recommendation and area for improvement are each
    ``length`` characters of what makes a terminal's layout work hardest: words, one word wider
    than any terminal, wide characters and control characters (shown as <U+XXXX>)."""
    root = out / f"long-text-{length}"
    (root / "forces").mkdir(parents=True, exist_ok=True)
    part = length // 4
    text = "word " * (part // 5) + "x" * part + "\u4e2d" * part + "\\e" * part
    (root / "forces" / "borsetshire.yaml").write_text(
        "slug: borsetshire\nname: Borsetshire Constabulary\ncauses_of_concern:\n"
        "  - id: coc-long\n    title: A cause\n    raised_on: 2024-01-01\n    recommendations:\n"
        f'      - id: rec-long\n        text: "{text}"\n'
        f'areas_for_improvement:\n  - id: afi-long\n    text: "{text}"\n    raised_on: 2024-01-01\n',
        encoding="utf-8",
    )
    return root


def long_text(peel: list[str], env: dict, out: Path, args) -> list[Row]:
    """Issue 19: a 1,000,000-character title took 78 s in ``status`` (the terminal's layout was
    quadratic). Every output of :data:`LONG_TEXT`, for 100,000 and for 1,000,000 characters:
    linear, so at most :data:`LINEAR` times as long."""
    ledgers = {length: long_text_ledger(out, length) for length in (100_000, 1_000_000)}
    rows: list[Row] = []
    for what, arguments in LONG_TEXT:
        print(f"timing peel {what} over a text of 1,000,000 and 100,000 characters ...", flush=True)
        long, short = timed_pair(
            *([*peel, "--data-dir", str(ledgers[n]), *arguments] for n in (1_000_000, 100_000)),
            env,
            args.repeat_scaling,
            warmup=1,
            timeout=args.timeout,
        )
        rows.append(Row(f"peel {what}, 1,000,000 characters", long, short, "same, 100,000", LINEAR, "ratio"))
    return rows


def main(argv: list[str] | None = None) -> int:

    use_the_venv()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=HERE / "out", help="ledgers and results (default bench/out)")
    parser.add_argument("--repeat", type=int, default=21, help="timed runs of each fast command (default 21)")
    parser.add_argument(
        "--repeat-slow", type=int, default=5, help="runs of check-jsonschema and of the memory measurements (default 5)"
    )
    parser.add_argument(
        "--repeat-scaling", type=int, default=3, help="runs of each command over 1,000 and 10,000 files (default 3)"
    )
    parser.add_argument(
        "--timeout", type=float, default=900, help="seconds after which a run is stopped and fails (default 900)"
    )
    parser.add_argument(
        "--only-scaling", action="store_true", help="measure only the 1,000 vs 10,000 files rows (SCALING)"
    )
    parser.add_argument(
        "--only-long-text", action="store_true", help="measure only the outputs of a long text (LONG_TEXT)"
    )
    parser.add_argument(
        "--no-scaling", action="store_true", help="measure only the rows that need no 10,000-file ledger"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget fails")
    parser.add_argument(
        "--publish",
        action="store_true",
        help="also write the Markdown table to bench/results.md, which docs/performance.md shows (python docs/gen.py)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()

    ledgers = {}
    if not args.only_long_text:
        templates = make_ledgers.templates()
        sizes = [size for size in make_ledgers.SIZES if size != 10000 or not args.no_scaling]
        ledgers = {size: make_ledgers.build(out, size, templates) for size in sizes}
    peel = make_ledgers.peel_command()
    how = "venv entry point" if len(peel) == 1 else "python -m peelcli"
    compiled = compile_peel()
    env = make_ledgers.peel_env()
    python = sys.executable
    print(f"peel: {' '.join(peel)} ({how}); python: {python} {platform.python_version()}", flush=True)
    print(f"bytecode: {compiled}", flush=True)

    rows: list[Row] = []
    if not args.only_scaling and not args.only_long_text:
        rows += startup_and_validate(peel, python, env, ledgers, out, args)
    if not args.only_scaling:
        rows += long_text(peel, env, out, args)
    if not args.only_long_text and not args.no_scaling:
        rows += scaling(peel, env, ledgers, out, args)

    for row in rows:
        for samples in (row.peel, row.baseline):
            if samples is not None and any(samples.exit_codes) and row.baseline_name != "check-jsonschema":
                codes = sorted(set(samples.exit_codes))
                said = f"stopped after {args.timeout:g} s" if TIMED_OUT in codes else f"exit codes {codes}"
                if said not in row.note:
                    row.note = (row.note + "; " if row.note else "") + said

    print_table(rows)
    results = {
        "machine": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "peel": {"command": peel, "how": how},
        "when": time.strftime("%Y-%m-%d %H:%M %Z"),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "repeat": args.repeat,
        "repeat_slow": args.repeat_slow,
        "env": {k: env[k] for k in ("PEEL_TODAY", "NO_COLOR")},
        "rows": [
            {
                "name": row.name,
                "baseline": row.baseline_name,
                "peel": _samples_json(row.peel),
                "baseline_samples": _samples_json(row.baseline),
                "ratio": row.ratio,
                "cpu_ratio": row.cpu_ratio,
                "budget": row.budget_text(),
                "result": row.verdict,
                "note": row.note,
            }
            for row in rows
        ],
    }
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (out / "results.md").write_text(markdown_table(rows, when=results["when"]), encoding="utf-8")
    print(f"\nwritten to {out / 'results.json'} and, as a Markdown table, {out / 'results.md'}")
    if args.publish:
        (HERE / "results.md").write_text(markdown_table(rows, when=results["when"]), encoding="utf-8")
        (HERE / "summary.md").write_text(summary(rows, when=results["when"]), encoding="utf-8")
        print(
            f"and to {HERE / 'results.md'} and {HERE / 'summary.md'}: run python docs/gen.py to show them in "
            "docs/performance.md and README.md"
        )
    return 1 if args.check and any(row.verdict == "FAIL" for row in rows) else 0


def _samples_json(samples: Samples | None) -> dict | None:
    if samples is None:
        return None
    return {**asdict(samples), "median": samples.median, **samples.spread()}


def markdown_table(rows: list[Row], *, when: str) -> str:
    """The results as docs/performance.md shows them (bench/results.md, with --publish), with the day and the
    machine's load when measured."""
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg()) if hasattr(os, "getloadavg") else "unknown"
    lines = [
        f"Measured {when} by `bench/run.py` (load average at the end: {load}).",
        "",
        "| Measurement | peel | Baseline | Ratio | Budget | Result | CPU-time ratio |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        peel = row.peel.show() if row.peel else "-"
        baseline = f"{row.baseline_name}, {row.baseline.show()}" if row.baseline else row.baseline_name
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        cpu = f"{row.cpu_ratio:.2f}x" if row.cpu_ratio is not None else "-"
        lines.append(f"| {row.name} | {peel} | {baseline} | {ratio} | {row.budget_text()} | {row.verdict} | {cpu} |")
    return "\n".join(lines) + "\n"


def summary(rows: list[Row], *, when: str) -> str:
    """The budgets in a few lines, as README.md shows them (bench/summary.md, with --publish): each
    measurement once, with its ratio, its budget and its verdict."""
    lines = [f"Measured {when} on a shared {os.cpu_count()}-CPU machine (`bench/run.py`; every row in "]
    lines[0] += "[performance](docs/performance.md)):"
    lines.append("")
    for row in rows:
        if row.ratio is None:
            continue
        lines.append(f"- {row.name}: {row.ratio:.2f}x {row.baseline_name} (budget {row.budget_text()}), {row.verdict}")
    return "\n".join(lines) + "\n"


def print_table(rows: list[Row]) -> None:
    header = (
        "measurement",
        "peel: median [spread]",
        "baseline",
        "baseline: median [spread]",
        "ratio",
        "budget",
        "result",
        "cpu ratio",
    )
    body = [
        (
            row.name,
            row.peel.show() if row.peel else "-",
            row.baseline_name,
            row.baseline.show() if row.baseline else "-",
            f"{row.ratio:.2f}x" if row.ratio is not None else "-",
            row.budget_text(),
            row.verdict,
            f"{row.cpu_ratio:.2f}x" if row.cpu_ratio is not None else "-",
        )
        for row in rows
    ]
    widths = [max(len(str(line[i])) for line in [header, *body]) for i in range(len(header))]
    print()
    for line in [header, tuple("-" * w for w in widths), *body]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    notes = [(row.name, row.baseline_name, row.note) for row in rows if row.note]
    if notes:
        print()
        for name, baseline, note in notes:
            print(f"note: {name} vs {baseline}: {note}")
    print("spread: [p25-p75] for times, [min-max] for memory; cpu ratio: the medians in CPU time (user and system)")


if __name__ == "__main__":
    sys.exit(main())
