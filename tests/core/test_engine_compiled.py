"""The compiled engine (mypyc build of ``core/_engine.py``): built, chosen only when current,
and giving exactly the pure-Python answers.

``make test`` builds it first (``tools/build_engine.py --require``). On a machine without a C
compiler, Python's headers or mypyc the build is skipped, and so are the tests that need it;
where the tool chain exists, a missing or stale build fails here.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import core._engine as pure
import core.engine as facade
from core.model import Findings, Mark, Session, Side, Symptom
from core.session_io import parse_session
from tests.core.test_engine_properties import ZONES, session_st

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
try:
    import build_engine
finally:
    sys.path.pop(0)


@pytest.fixture(scope="module")
def compiled() -> ModuleType:
    """The compiled module; fails when this machine could build it but it is not in use."""
    missing = build_engine.toolchain_missing()
    if missing:
        pytest.skip(f"no tool chain for the compiled engine: {missing}")
    if os.environ.get("DERMAMAP_PURE_ENGINE", "") not in ("", "0"):
        pytest.skip("DERMAMAP_PURE_ENGINE is set")
    assert facade.IMPLEMENTATION == "compiled", (
        f"the compiled engine is not in use ({facade.IMPLEMENTATION_REASON}); "
        "run `python tools/build_engine.py` (make test does)"
    )
    module = facade.implementation_module()
    assert module is not pure and module.__name__ == facade.COMPILED_MODULE
    assert module.__file__ is not None and module.__file__.endswith((".so", ".pyd"))
    return module


def _same(compiled: ModuleType, session: Session, atlas: str | None) -> None:
    """Both engines give the same answer, or raise the same error."""
    try:
        want = pure.analyze(session, atlas)
    except Exception as exc:  # the compiled engine must raise the same
        with pytest.raises(type(exc)) as info:
            compiled.analyze(session, atlas)
        assert str(info.value) == str(exc)
        return
    got = compiled.analyze(session, atlas)
    assert got == want
    assert got.to_dict() == want.to_dict()
    # == compares the scores exactly (bit-identical); a NaN score must never occur
    assert all(not math.isnan(h.score) for h in got.hypotheses)


def test_the_facade_exports_the_chosen_module(compiled: ModuleType) -> None:
    assert facade.analyze is compiled.analyze
    assert facade.ATLAS_IDS == pure.ATLAS_IDS
    assert facade.source_stamp() == compiled.SOURCE_STAMP


# marks beyond what the session loader lets through: whole numbers, NaN, out-of-range coverage
# and unknown zone ids (the Python API accepts any of them)
odd_marks_st = st.lists(
    st.builds(
        Mark,
        zone=st.sampled_from([*ZONES, "forearm", "sole.nowhere", ""]),
        side=st.sampled_from(list(Side)),
        symptom=st.sampled_from(list(Symptom)),
        coverage=st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.integers(min_value=-2, max_value=3),
        ),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(session=session_st, atlas=st.none() | st.sampled_from(pure.ATLAS_IDS))
def test_compiled_and_pure_agree_on_valid_sessions(
    compiled: ModuleType, session: Session, atlas: str | None
) -> None:
    _same(compiled, session, atlas)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marks=odd_marks_st, atlas=st.none() | st.sampled_from([*pure.ATLAS_IDS, "nowhere"]))
def test_compiled_and_pure_agree_on_odd_input(
    compiled: ModuleType, marks: list[Mark], atlas: str | None
) -> None:
    _same(compiled, Session(marks=tuple(marks), findings=Findings()), atlas)


def test_compiled_and_pure_agree_on_the_golden_cases(compiled: ModuleType) -> None:
    """The golden cases (the clinical reference's vignettes among them) under every atlas."""
    cases = json.loads((ROOT / "tests" / "core" / "golden_cases.json").read_text("utf-8"))
    n = 0
    for case in cases["cases"]:
        session = parse_session(case["session"], f"golden case {case['id']}")
        for atlas in pure.ATLAS_IDS:
            _same(compiled, session, atlas)
            n += 1
    assert n >= 3 * 30


# --- choosing the build ---------------------------------------------------------------------------


def test_the_stamp_covers_every_core_module_the_engine_imports() -> None:
    """An edit to any of them must make the build stale: follow the imports from _engine.py."""
    import ast

    seen: set[str] = set()
    todo = ["_engine"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse((ROOT / "core" / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "core":
                todo += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("core."):
                todo.append(node.module.split(".")[1])  # type: ignore[union-attr]
            elif isinstance(node, ast.Import):
                todo += [a.name.split(".")[1] for a in node.names if a.name.startswith("core.")]
    assert seen >= {"_engine", "clinical", "model", "zones", "assets"}
    assert {f"{n}.py" for n in seen} | {"__init__.py"} <= set(facade.STAMPED_SOURCES)


def _copy_tree(tmp_path: Path) -> Path:
    """A copy of ``core/`` with the current compiled build and stamp in ``tmp_path/core``."""
    dst = tmp_path / "core"
    dst.mkdir()
    for src in (ROOT / "core").glob("*.py"):
        shutil.copy2(src, dst / src.name)
    for so in build_engine.built_files():
        shutil.copy2(so, dst / so.name)
    shutil.copy2(ROOT / "core" / facade.STAMP_FILE, dst / facade.STAMP_FILE)
    return dst


def _chosen(tree: Path, **env: str) -> tuple[str, str]:
    code = (
        "import core.engine as e, core.model as m\n"
        "assert e.analyze(m.Session()).hypotheses == ()\n"
        "print(e.IMPLEMENTATION); print(e.IMPLEMENTATION_REASON); print(e.__file__)"
    )
    run_env = {k: v for k, v in os.environ.items() if k != "DERMAMAP_PURE_ENGINE"}
    run_env.update(env, PYTHONPATH=os.pathsep.join([str(tree.parent), str(ROOT)]))
    # -S: without site-packages the editable install's finder cannot map ``core`` back to the
    # working tree (the engine needs only the standard library)
    out = subprocess.run(
        [sys.executable, "-S", "-c", code],
        capture_output=True,
        text=True,
        env=run_env,
        cwd=tree.parent,  # -c puts the working folder first on sys.path
        check=True,
    ).stdout.splitlines()
    assert Path(out[2]).parent == tree, out[2]  # the copy was imported
    return out[0], out[1]


def test_a_current_build_is_chosen_and_can_be_turned_off(
    compiled: ModuleType, tmp_path: Path
) -> None:
    tree = _copy_tree(tmp_path)
    assert _chosen(tree) == ("compiled", "built from the current sources")
    kind, why = _chosen(tree, DERMAMAP_PURE_ENGINE="1")
    assert kind == "python" and "DERMAMAP_PURE_ENGINE" in why


def test_a_stale_or_missing_build_is_never_used(compiled: ModuleType, tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    model = tree / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    kind, why = _chosen(tree)
    assert kind == "python" and "older than the sources" in why
    # a stamp file that matches the edited sources cannot vouch for a build made before the edit
    (tree / facade.STAMP_FILE).write_text(facade.source_stamp(tree) + "\n", encoding="ascii")
    kind, why = _chosen(tree)
    assert kind == "python" and "own stamp does not match" in why
    (tree / facade.STAMP_FILE).unlink()
    kind, why = _chosen(tree)
    assert kind == "python" and "no compiled build" in why


def test_a_damaged_build_falls_back_to_python(compiled: ModuleType, tmp_path: Path) -> None:
    tree = _copy_tree(tmp_path)
    for so in tree.glob("_engine_compiled*.so"):
        so.write_bytes(b"not an ELF file")
    kind, why = _chosen(tree)
    assert kind == "python" and "does not load" in why and "ImportError" in why


# --- the build script -----------------------------------------------------------------------------


def test_the_build_is_skipped_without_a_tool_chain(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(build_engine.shutil, "which", lambda name: None)
    assert "no C compiler" in build_engine.toolchain_missing()
    monkeypatch.setattr(build_engine, "is_current", lambda: False)
    assert build_engine.main(["--require"]) == 0  # nothing to require without a compiler
    assert "pure-Python engine runs instead" in capsys.readouterr().out
    real_find_spec = build_engine.importlib.util.find_spec
    monkeypatch.setattr(
        build_engine.importlib.util,
        "find_spec",
        lambda name: None if name == "setuptools" else real_find_spec(name),
    )
    assert "setuptools is not installed" in build_engine.toolchain_missing()
    monkeypatch.setattr(build_engine.importlib.util, "find_spec", lambda name: None)
    assert "mypyc is not installed" in build_engine.toolchain_missing()


def test_a_failed_build_fails_only_when_required(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> None:
        raise RuntimeError("mypyc made no extension module")

    monkeypatch.setattr(build_engine, "toolchain_missing", lambda: "")
    monkeypatch.setattr(build_engine, "build", broken)
    assert build_engine.main(["--force"]) == 0
    assert build_engine.main(["--force", "--require"]) == 1
    assert "made no extension module" in capsys.readouterr().err


def test_an_up_to_date_build_is_not_rebuilt(
    compiled: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def must_not_run() -> None:
        raise AssertionError("rebuilt a current build")

    monkeypatch.setattr(build_engine, "build", must_not_run)
    assert build_engine.is_current()
    assert build_engine.main([]) == 0
    assert "up to date" in capsys.readouterr().out


def test_choosing_the_engine_does_not_load_openssl() -> None:
    """The stamp uses zlib: ``hashlib`` would load OpenSSL (~3.5 MB, ~2.5 ms) at every start."""
    code = "import sys, core.engine\nprint('_hashlib' in sys.modules, 'hashlib' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    assert out == ["False", "False"]
