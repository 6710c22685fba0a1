"""The diagram's legend: a strip under the artwork naming what the overlays' colours and
hatches mean (dermatomes of the map in use, nerves, the key for split, variable, unassigned and
disputed areas) and their sources. The view reserves a bottom margin for it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QBrush, QColor, QFontMetricsF
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui import theme
from gui.diagram.atlas_overlay import brush_swatch, legend_keys


class Legend(QFrame):
    """Legend strip (colour swatch -> root or nerve, hatch, sources) under the diagram.

    The view reserves a bottom margin for it, so it never covers the artwork.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagram_legend")
        self.setAccessibleName("Diagram legend")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAutoFillBackground(True)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 4, 10, 4)
        self._layout.setSpacing(2)
        self._entries: list[tuple[str, str]] = []
        self._content: dict[str, object] = {}
        self.hide()

    @property
    def entries(self) -> list[tuple[str, str]]:
        """(kind, text) pairs currently shown (for tests and accessibility)."""
        return list(self._entries)

    def set_content(
        self,
        *,
        atlas_name: str,
        roots: Sequence[str],
        nerves: Sequence[tuple[str, str]],
        disagreement: bool,
        sources: str,
        split: bool = False,
        variable: bool = False,
        unassigned: bool = False,
    ) -> None:
        self._content = {
            "atlas_name": atlas_name,
            "roots": tuple(roots),
            "nerves": tuple(nerves),
            "disagreement": disagreement,
            "sources": sources,
            "split": split,
            "variable": variable,
            "unassigned": unassigned,
        }
        self._rebuild()

    def relayout(self) -> None:
        """Re-flow the swatches for a new width."""
        if self._content:
            self._rebuild()

    def _rebuild(self) -> None:
        while self._layout.count():
            child = self._layout.takeAt(0)
            w = child.widget() if child is not None else None
            if w is not None:
                w.hide()
                w.deleteLater()
        self._entries = []
        c = self._content
        roots: tuple[str, ...] = c.get("roots", ())  # type: ignore[assignment]
        nerves: tuple[tuple[str, str], ...] = c.get("nerves", ())  # type: ignore[assignment]
        disagreement = bool(c.get("disagreement", False))
        sources = str(c.get("sources", ""))
        dc = theme.diagram_colors()
        pal = self.palette()
        pal.setColor(self.backgroundRole(), dc.legend_bg)
        self.setPalette(pal)
        if roots:
            self._row(
                f"Dermatomes ({c.get('atlas_name', '')}):",
                [(r, theme.root_color(r, 200), "root") for r in roots],
            )
        keys = legend_keys(
            split=bool(roots and c.get("split")),
            variable=bool(c.get("variable")),
            unassigned=bool(c.get("unassigned")),
            disagreement=disagreement,
        )
        if keys:
            self._row("Key:", keys)
        if nerves:
            self._row("Nerves:", [(name, theme.nerve_color(n, 200), "nerve") for n, name in nerves])
        tail: list[str] = []
        if sources and (roots or nerves or disagreement):
            tail.append(f"Sources: {sources}")
        if tail:
            lb = QLabel(" · ".join(tail))
            lb.setWordWrap(True)
            f = lb.font()
            f.setPointSizeF(max(7.0, f.pointSizeF() - 1.0))
            lb.setFont(f)
            lb.setAccessibleName(lb.text())
            self._layout.addWidget(lb)
        self.setVisible(bool(roots or nerves or disagreement or keys))

    def _row(self, title: str, rows: Sequence[tuple[str, QColor | QBrush, str]]) -> None:
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(5)
        grid.setVerticalSpacing(1)
        head = QLabel(title)
        f = head.font()
        f.setBold(True)
        head.setFont(f)
        grid.addWidget(head, 0, 0)
        self._entries.append(("title", title))
        width = max(300, (self.parentWidget() or self).width() - 40)
        fm = QFontMetricsF(self.font())
        cell = max(fm.horizontalAdvance(t) for t, _c, _k in rows) + 26
        cols = max(1, int((width - fm.horizontalAdvance(title) - 20) // cell))
        for i, (text, color, kind) in enumerate(rows):
            cellw = QWidget()
            h = QHBoxLayout(cellw)
            h.setContentsMargins(0, 0, 6, 0)
            h.setSpacing(4)
            sw = QLabel()
            sw.setFixedSize(14, 11)
            if isinstance(color, QColor):
                sw.setStyleSheet(
                    f"background-color: {color.name(QColor.NameFormat.HexArgb)};"
                    f"border: 1px solid {theme.diagram_colors().legend_border.name()};"
                )
            else:
                sw.setPixmap(brush_swatch(color, sw.size(), self.devicePixelRatioF()))
            sw.setAccessibleName(f"{text} colour")
            lb = QLabel(text)
            lb.setAccessibleName(f"{kind} {text}")
            h.addWidget(sw)
            h.addWidget(lb)
            grid.addWidget(cellw, i // cols, 1 + i % cols)
            self._entries.append((kind, text))
        grid.setColumnStretch(cols + 1, 1)
        self._layout.addWidget(box)
