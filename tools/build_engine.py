"""Compile the clinical engine (``core/_engine.py``) with mypyc into ``core._engine_compiled``.

Usage: ``python tools/build_engine.py [--require] [--force] [--quiet]``

``make run`` and ``make test`` run it. The compiled module runs the same rules as the pure-Python
one about 1.4 times as fast; :mod:`core.engine` uses it only while its stamp (checksums of
the engine's sources, see :func:`core.engine.source_stamp`) matches the sources, so a stale
build is never used. Nothing is built when the stamp already matches (unless ``--force``).

Without a C compiler, Python's headers or mypyc, it says so and exits 0: the app then runs the
pure-Python engine. ``--require`` makes a failed build with a working tool chain exit 1 (CI).

The build happens in a temporary folder holding a copy of ``core/``, where ``_engine.py`` is
copied to ``_engine_compiled.py`` with its stamp appended; the two extension modules mypyc
makes are moved into ``core/`` (ignored by git) and the stamp file is written last.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "core"
sys.path.insert(0, str(ROOT))

from core.engine import COMPILED_MODULE, STAMP_FILE, compiled_unusable, source_stamp  # noqa: E402

MODULE_FILE = COMPILED_MODULE.rsplit(".", 1)[1]  # _engine_compiled


def toolchain_missing() -> str:
    """Why this machine cannot build the compiled engine (empty when it can)."""
    if importlib.util.find_spec("mypyc") is None:
        return "mypyc is not installed (it comes with mypy, in the test extra)"
    if importlib.util.find_spec("setuptools") is None:
        return "setuptools is not installed (mypyc compiles through it; in the test extra)"
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None and shutil.which("cc") is None:
        return f"no C compiler ({cc}) on PATH"
    include = sysconfig.get_paths().get("include", "")
    if not (Path(include) / "Python.h").is_file():
        return f"Python's C headers are missing ({include}/Python.h)"
    return ""


def built_files(folder: Path = CORE) -> list[Path]:
    """The compiled engine's extension modules in ``folder``."""
    return sorted(folder.glob(f"{MODULE_FILE}*.so")) + sorted(folder.glob(f"{MODULE_FILE}*.pyd"))


def is_current() -> bool:
    """True when ``core/`` holds a build whose stamp matches the current sources."""
    return bool(built_files()) and not compiled_unusable()[0]


def build() -> None:
    """Compile into a temporary folder, then move the result into ``core/``.

    Raises
    ------
    subprocess.CalledProcessError
        If mypyc fails (its output is printed).
    RuntimeError
        If mypyc made no extension module, or the result does not load or disagrees.
    """
    stamp = source_stamp(CORE)
    with tempfile.TemporaryDirectory(prefix="dermamap-engine-") as tmp:
        work = Path(tmp)
        pkg = work / "core"
        pkg.mkdir()
        for src in CORE.glob("*.py"):
            shutil.copy2(src, pkg / src.name)
        source = (CORE / "_engine.py").read_text(encoding="utf-8")
        (pkg / f"{MODULE_FILE}.py").write_text(
            source + f'\n\nSOURCE_STAMP = "{stamp}"  # written by tools/build_engine.py\n',
            encoding="utf-8",
        )
        env = dict(os.environ, MYPY_CACHE_DIR=str(work / ".mypy_cache"))
        cmd = [sys.executable, "-m", "mypyc", f"core/{MODULE_FILE}.py"]
        proc = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-6000:] + proc.stderr[-6000:])
            raise subprocess.CalledProcessError(proc.returncode, cmd)
        made = built_files(pkg)
        if len(made) < 1:
            raise RuntimeError("mypyc made no extension module")
        # the stamp file goes last: until it is written, core.engine ignores the new files
        (CORE / STAMP_FILE).unlink(missing_ok=True)
        for old in built_files():
            old.unlink()
        for so in made:
            part = CORE / (so.name + ".part")
            shutil.copyfile(so, part)
            os.replace(part, CORE / so.name)
        _check_loads(stamp)
        part = CORE / (STAMP_FILE + ".part")
        part.write_text(stamp + "\n", encoding="ascii")
        os.replace(part, CORE / STAMP_FILE)


_CHECK = """
import sys
sys.path.insert(0, {root!r})
import importlib
compiled = importlib.import_module({module!r})
import core._engine as pure
sys.path.insert(0, {root!r} + "/benchmarks")
from bench_engine import make_session
from core.model import Session
assert compiled.SOURCE_STAMP == {stamp!r}, "stamp"
for s in (make_session(), Session()):
    for atlas in pure.ATLAS_IDS:
        assert compiled.analyze(s, atlas) == pure.analyze(s, atlas), atlas
print("ok")
"""


def _check_loads(stamp: str) -> None:
    """Import the new build in a fresh process and compare two analyses with pure Python."""
    code = _CHECK.format(root=str(ROOT), module=COMPILED_MODULE, stamp=stamp)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if proc.returncode != 0 or proc.stdout.strip() != "ok":
        for so in built_files():
            so.unlink()
        raise RuntimeError(f"the compiled engine does not load or disagrees:\n{proc.stderr}")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    require, force, quiet = "--require" in args, "--force" in args, "--quiet" in args
    if not force and is_current():
        if not quiet:
            print("compiled engine is up to date")
        return 0
    missing = toolchain_missing()
    if missing:
        print(f"compiled engine not built: {missing}; the pure-Python engine runs instead")
        return 0
    start = time.perf_counter()
    try:
        build()
    except (subprocess.CalledProcessError, RuntimeError, OSError) as exc:
        print(f"compiled engine not built: {exc}", file=sys.stderr)
        print("the pure-Python engine runs instead", file=sys.stderr)
        return 1 if require else 0
    if not quiet:
        names = ", ".join(p.name for p in built_files())
        print(f"compiled engine built in {time.perf_counter() - start:.1f} s: {names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
