"""Read packaged data files from ``assets/`` with :mod:`importlib.resources` (cached)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_json(name: str) -> Any:
    """Return the parsed JSON asset ``name`` (a path relative to the ``assets`` package)."""
    ref = resources.files("assets")
    for part in name.split("/"):
        ref = ref.joinpath(part)
    with ref.open("r", encoding="utf-8") as fh:
        return json.load(fh)
