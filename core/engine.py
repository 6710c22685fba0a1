"""The clinical engine: :func:`analyze` and :data:`ATLAS_IDS` (Qt-free).

The rules live in :mod:`core._engine`, in pure Python; read its docstring for the scoring
design. ``tools/build_engine.py`` (run by ``make run`` and ``make test``) compiles that same
source with mypyc into ``core._engine_compiled``, which runs the same rules about 1.4 times
as fast and gives the same results (``tests/core/test_engine_compiled.py`` compares the two).

This module picks the compiled build only when it was built from exactly the sources present
now: a stamp (CRC-32 and Adler-32 checksums and the sizes of the engine and the core modules it
reads) kept beside the build and inside it. Otherwise (no build, a stale one, another Python, or
``DERMAMAP_PURE_ENGINE=1``) it uses the pure-Python module, so an edited rule is never shadowed
by an old build. :data:`IMPLEMENTATION` says which one runs and :data:`IMPLEMENTATION_REASON` why.
"""

from __future__ import annotations

import importlib
import os
import zlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

__all__ = [
    "ATLAS_IDS",
    "IMPLEMENTATION",
    "IMPLEMENTATION_REASON",
    "analyze",
    "compiled_unusable",
    "implementation_module",
    "source_stamp",
]

COMPILED_MODULE = "core._engine_compiled"
STAMP_FILE = "_engine_compiled.stamp"  # beside the compiled build, in this package's folder
STAMPED_SOURCES = ("_engine.py", "clinical.py", "model.py", "zones.py", "assets.py", "__init__.py")
"""The engine and every core module it imports: the compiled build is valid for these bytes."""


def source_stamp(folder: Path | None = None) -> str:
    """Checksums of :data:`STAMPED_SOURCES` in ``folder`` (default: this package's folder).

    CRC-32 and Adler-32 over each file's name, size and bytes, in turn. It tells an edited
    source from the one a build was made from; it is not a security check (the build lies in
    the same folder as the sources). ``zlib`` is loaded at start-up anyway; ``hashlib`` would
    load OpenSSL, about 3.5 MB and 2.5 ms.
    """
    here = folder if folder is not None else Path(__file__).resolve().parent
    crc = adler = 1
    size = 0
    for name in STAMPED_SOURCES:
        data = (here / name).read_bytes()
        head = f"{name}\0{len(data)}\0".encode()
        crc = zlib.crc32(data, zlib.crc32(head, crc))
        adler = zlib.adler32(data, zlib.adler32(head, adler))
        size += len(data)
    return f"crc32-adler32:{crc:08x}{adler:08x}:{size}"


def _choose() -> tuple[ModuleType, str, str]:
    """(module, ``"compiled"`` or ``"python"``, why) for this process."""
    if os.environ.get("DERMAMAP_PURE_ENGINE", "") not in ("", "0"):
        reason = "DERMAMAP_PURE_ENGINE is set"
    else:
        reason, stamp = compiled_unusable()
        if not reason:
            try:
                compiled = importlib.import_module(COMPILED_MODULE)
            except Exception as exc:  # a build for another Python, a damaged file, ...
                reason = f"the compiled build does not load ({type(exc).__name__}: {exc})"
            else:
                if getattr(compiled, "SOURCE_STAMP", None) == stamp:
                    return compiled, "compiled", "built from the current sources"
                reason = "the compiled build's own stamp does not match its stamp file"
    return importlib.import_module("core._engine"), "python", reason


def compiled_unusable() -> tuple[str, str]:
    """(why the compiled build cannot be used, empty when it can; the sources' stamp), checked
    before importing the build, so a stale build never runs any code."""
    here = Path(__file__).resolve().parent
    try:
        kept = (here / STAMP_FILE).read_text(encoding="ascii").strip()
    except (OSError, UnicodeError):
        return "no compiled build (run tools/build_engine.py)", ""
    try:
        stamp = source_stamp(here)
    except OSError as exc:
        return f"the engine sources cannot be read ({exc})", ""
    if kept != stamp:
        return "the compiled build is older than the sources (run tools/build_engine.py)", stamp
    return "", stamp


_module, IMPLEMENTATION, IMPLEMENTATION_REASON = _choose()
"""``IMPLEMENTATION`` is ``"compiled"`` (the mypyc build of :mod:`core._engine`) or ``"python"``;
``IMPLEMENTATION_REASON`` says why, in words (``dermamap --version`` prints both)."""

if TYPE_CHECKING:
    from core._engine import ATLAS_IDS, analyze
else:
    ATLAS_IDS = _module.ATLAS_IDS
    analyze = _module.analyze


def implementation_module() -> ModuleType:
    """The module whose :func:`analyze` this one exports (compiled or pure Python)."""
    return _module
