"""The body diagram: the clickable, paintable chart, its overlays and the region list.

The classes load on first use (``gui.diagram.DiagramView`` imports the view module then), so
importing one submodule does not import the others.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gui.diagram.region_list import RegionList
    from gui.diagram.view import DiagramView

__all__ = ["DiagramView", "RegionList"]


def __getattr__(name: str) -> Any:
    if name == "DiagramView":
        from gui.diagram.view import DiagramView

        return DiagramView
    if name == "RegionList":
        from gui.diagram.region_list import RegionList

        return RegionList
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
