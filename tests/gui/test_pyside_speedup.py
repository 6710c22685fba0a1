"""The faster per-import check gives PySide6 the same answers as its own."""

from __future__ import annotations

import importlib
import sys
import types

import PySide6.QtCore  # noqa: F401  (PySide6 loaded: its support package exists)

from gui import pyside_speedup


def _original():
    feature = pyside_speedup._feature_module()
    assert feature is not None, "PySide6's feature support module is not there any more"
    fn = feature._mod_uses_pyside
    # the original may already be wrapped (the app installs it); unwrap through the closure
    while getattr(fn, pyside_speedup._MARK, False):
        fn = fn.__closure__[0].cell_contents
    return fn


def test_same_answers_as_pyside_for_many_modules() -> None:
    original = _original()
    fast = pyside_speedup.fast_uses_pyside(original)
    names = [
        "gui.main_window",  # uses PySide6
        "gui.diagram.view",
        "core.model",  # does not
        "core.engine",
        "json",
        "inspect",
        "pyqtgraph.Qt",  # names PySide6 in its text
        "pyqtgraph.functions",  # imports Qt through pyqtgraph.Qt only
        "numpy",
        "sys",  # built in: no file
        "_struct",  # an extension module
    ]
    seen = set()
    for name in names:
        mod = importlib.import_module(name)
        assert fast(mod) == original(mod), name
        seen.add(fast(mod))
    assert seen == {True, False}


def test_unreadable_or_fileless_modules_fall_back() -> None:
    calls = []

    def original(module) -> bool:
        calls.append(module.__name__)
        return False

    fast = pyside_speedup.fast_uses_pyside(original)
    gone = types.ModuleType("gone_module")
    gone.__file__ = "/nonexistent/gone_module.py"
    assert fast(gone) is False
    assert fast(types.ModuleType("no_file")) is False
    assert calls == ["gone_module", "no_file"]


def test_install_wraps_once() -> None:
    feature = pyside_speedup._feature_module()
    assert feature is not None
    before = feature._mod_uses_pyside
    try:
        pyside_speedup.install()
        wrapped = feature._mod_uses_pyside
        assert getattr(wrapped, pyside_speedup._MARK, False)
        assert pyside_speedup.install() is False  # already installed
        assert feature._mod_uses_pyside is wrapped
    finally:
        feature._mod_uses_pyside = before
    assert "PySide6" in sys.modules
