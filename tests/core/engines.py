"""The engine implementations a test can run: the pure-Python rules always, and the compiled
build (``tools/build_engine.py``) when :mod:`core.engine` uses it."""

from __future__ import annotations

from types import ModuleType

import core._engine as pure
import core.engine as facade


def implementations() -> list[ModuleType]:
    """``[core._engine]``, plus the compiled module when it is current and loaded."""
    mods = [pure]
    if facade.IMPLEMENTATION == "compiled":
        mods.append(facade.implementation_module())
    return mods


def ids() -> list[str]:
    return ["python" if m is pure else "compiled" for m in implementations()]
