"""The body diagram: the clickable, paintable chart (:mod:`gui.diagram.view`), its overlays and
the region list.

Modules, bottom up: ``items``, ``line_art``, ``stroke`` (graphics items), ``overlays``,
``zoom`` -> ``chart`` -> ``pointer`` -> ``view`` (the chart's layers), ``region_list``.
"""
