"""A faster answer to a question PySide6 asks about every module imported after it.

Once PySide6 is imported, it looks at each module imported later to learn whether that module
uses PySide6 (its ``__feature__`` switching, e.g. ``snake_case``, needs to know). It asks
:func:`inspect.getsource` for the module's whole text and searches it for ``"PySide6"``. For
pyqtgraph and numpy, hundreds of modules loaded after the first paint, that bookkeeping costs
the start-up about 55 ms on this machine.

:func:`install` gives PySide6 the same answer from the module file's bytes (no line cache, no
decoding): ``b"PySide6" in <the .py file>``. Modules without a ``.py`` file, and any file that
cannot be read, still go to PySide6's own check. If a PySide6 version no longer has the hook
(``shibokensupport.feature._mod_uses_pyside``), nothing is changed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

_MARK = "_dermamap_fast"


def fast_uses_pyside(original: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """``original``'s answer, read from the module's ``.py`` file when it has one."""

    def mod_uses_pyside(module: Any) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as f:
                    return b"PySide6" in f.read()
            except OSError:
                pass
        return original(module)

    setattr(mod_uses_pyside, _MARK, True)
    return mod_uses_pyside


def _feature_module() -> ModuleType | None:
    mod = sys.modules.get("shibokensupport.feature")
    if mod is None:
        try:
            import shibokensupport.feature as mod  # type: ignore[no-redef]
        except ImportError:
            return None
    return mod


def install() -> bool:
    """Speed up PySide6's per-import check (after ``import PySide6``); True if installed."""
    if "PySide6" not in sys.modules:
        return False
    feature = _feature_module()
    original = getattr(feature, "_mod_uses_pyside", None) if feature is not None else None
    if not callable(original) or getattr(original, _MARK, False):
        return False
    setattr(feature, "_mod_uses_pyside", fast_uses_pyside(original))  # noqa: B010
    return True
