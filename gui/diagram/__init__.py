"""The body diagram: the clickable, paintable chart, its overlays and the region list."""

from gui.diagram.region_list import RegionList
from gui.diagram.view import DiagramView

__all__ = ["DiagramView", "RegionList"]
