"""Read packaged data files from ``assets/`` (cached), wherever the package is installed.

:func:`asset_root` is the ``assets`` package as a :class:`importlib.resources.abc.Traversable`:
the package folder itself when it is a plain folder on disk (found from the package's own
import record, which costs nothing), else :func:`importlib.resources.files` (zip files and
other loaders; importing :mod:`importlib.resources` costs the start-up ~5 ms).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


@cache
def asset_root() -> Traversable:
    """The ``assets`` package folder (a ``Path`` for a normal install)."""
    import assets

    spec = assets.__spec__
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    if len(locations) == 1 and (Path(locations[0]) / "__init__.py").is_file():
        return Path(locations[0])
    from importlib import resources

    return resources.files("assets")


def asset(name: str) -> Traversable:
    """The asset ``name`` (a path relative to the ``assets`` package, ``/``-separated)."""
    ref = asset_root()
    for part in name.split("/"):
        ref = ref.joinpath(part)
    return ref


@cache
def load_json(name: str) -> Any:
    """Return the parsed JSON asset ``name`` (a path relative to the ``assets`` package)."""
    with asset(name).open("r", encoding="utf-8") as fh:
        return json.load(fh)
