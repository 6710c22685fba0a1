"""The compact form of the diagram artwork (``views.pickle``) matches ``views.json``."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from core import geometry
from core.geometry import _load_cached, _parse, diagram_cache_bytes, load_diagram

ASSETS = Path(geometry.__file__).resolve().parent.parent / "assets" / "diagram"


def test_committed_cache_is_the_generators_output_for_the_committed_json() -> None:
    json_bytes = (ASSETS / "views.json").read_bytes()
    assert (ASSETS / "views.pickle").read_bytes() == diagram_cache_bytes(json_bytes), (
        "views.pickle is stale: run python tools/make_diagram.py"
    )


def test_cache_loads_the_same_diagram_as_the_json() -> None:
    json_bytes = (ASSETS / "views.json").read_bytes()
    from_cache = _load_cached(json_bytes, (ASSETS / "views.pickle").read_bytes())
    from_json = _parse(json.loads(json_bytes))
    assert from_cache is not None
    assert from_cache == from_json
    assert load_diagram() == from_json
    # same types too (Side members, floats), not just equal values
    z_c, z_j = from_cache.zones()[0], from_json.zones()[0]
    assert type(z_c.side) is type(z_j.side)
    assert all(type(v) is float for v in z_c.points[0])


def test_stale_or_foreign_cache_is_ignored() -> None:
    json_bytes = (ASSETS / "views.json").read_bytes()
    cache_bytes = (ASSETS / "views.pickle").read_bytes()
    assert _load_cached(json_bytes + b" ", cache_bytes) is None  # JSON changed since
    assert _load_cached(json_bytes, b"garbage") is None
    assert _load_cached(json_bytes, pickle.dumps(("other", 1, "", ()), protocol=4)) is None


def test_cache_with_classes_is_refused() -> None:
    evil = pickle.dumps((geometry.Diagram, 1), protocol=4)
    with pytest.raises(pickle.UnpicklingError):
        geometry._PlainUnpickler(__import__("io").BytesIO(evil)).load()
    assert _load_cached(b"{}", evil) is None
