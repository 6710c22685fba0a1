"""The patient's bar in patient mode (:mod:`gui.patient_mode`): the instructions, what you feel,
how to mark (tap, draw, rub out, undo), how strong it is per leg, and "I have finished", all
large buttons in plain words.

The bar takes as few rows as the window's width allows, so that the drawing keeps the height:
the groups of controls flow in their reading order (what you feel, how to mark, how strong,
then "I have finished" at the right), as many to a row as fit whole, and the instructions
wrap to the width. At 1,024 by 700 pixels that is the instructions, the feelings with the
tools and Undo, then the strength with "I have finished" (184 pixels where there were four
rows and 246); in a full-HD window every control is on one row; at 800 pixels (a tablet
upright) they take three rows, none cut. The buttons keep their touch size at every width.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core.model import INTENSITY_RANGE, Side, Symptom
from gui.state import Tool

if TYPE_CHECKING:
    from gui.main_window import MainWindow

PLAIN_SYMPTOMS = {
    Symptom.NUMBNESS: ("Numb", "It feels numb or dead"),
    Symptom.TINGLING: ("Pins and needles", "Tingling, pins and needles"),
    Symptom.PAIN: ("Pain", "It hurts"),
}
STRENGTH_QUESTIONS = {
    Symptom.NUMBNESS: "How strong is the numbness?",
    Symptom.TINGLING: "How strong are the pins and needles?",
    Symptom.PAIN: "How strong is the pain?",
}
"""The question for the chosen feeling, in the patient's words ("How strong is it (numb)?")."""
PLAIN_TOOLS = {
    Tool.CLICK: ("Tap areas", "Tap a part of the leg to mark it; tap again to take it off"),
    Tool.BRUSH: ("Draw", "Draw over the places with your finger, pen or mouse"),
    Tool.ERASER: ("Rub out", "Rub out what you drew"),
}
INSTRUCTIONS = (
    "Show us where you feel it. Choose what you feel, then tap or draw on the legs and feet. "
    "You can mark more than one feeling in the same place."
)
TARGET = 56  # minimum height of a button, in pixels (large touch targets)
BUTTON_PADDING = "QPushButton { padding: 6px 14px; }"
SPACING = 10  # between the buttons of a group
GROUP_GAP = 24  # between two groups on one row (and before Undo)


def big_font(widget: QWidget, scale: float = 1.35) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(max(13.0, font.pointSizeF() * scale))
    return font


def big_button(text: str, tip: str, name: str, checkable: bool = False) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setToolTip(tip)
    b.setAccessibleName(text)
    b.setAccessibleDescription(tip)
    b.setCheckable(checkable)
    b.setMinimumHeight(TARGET)
    b.setMinimumWidth(TARGET * 2)
    b.setFont(big_font(b))
    b.setIconSize(QSize(28, 28))
    b.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return b


def _group(name: str) -> tuple[QWidget, QHBoxLayout]:
    holder = QWidget()
    holder.setObjectName(name)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(SPACING)
    return holder, row


Rows = list[list[QWidget]]


class FlowBox(QWidget):
    """The bar's content: the instructions above rows of groups of controls. The groups flow
    in their order, as many to a row as fit whole, the last one (the finish button) at the
    right end of a row: the fewest rows, then the finish button on the latest row it fits."""

    def __init__(self, text: QLabel, groups: list[QWidget], last: QWidget) -> None:
        super().__init__()
        self._groups, self._last = groups, last
        self._rows: Rows = []
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(8, 6, 8, 6)
        self.outer.addWidget(text)
        self._row_layouts: list[QHBoxLayout] = []
        for _ in range(len(groups) + 1):  # enough for one group a row
            row = QHBoxLayout()
            row.setSpacing(GROUP_GAP)
            self.outer.addLayout(row)
            self._row_layouts.append(row)
        # the window may narrow to the widest group (the rows part), whatever the rows now
        margins = self.outer.contentsMargins()
        widest = max(g.minimumSizeHint().width() for g in (*groups, last))
        self.setMinimumWidth(widest + margins.left() + margins.right())
        self.flow()

    @property
    def rows(self) -> Rows:
        """The groups on each row, top to bottom (the finish button included)."""
        return [list(r) for r in self._rows]

    def _arrange(self, width: int) -> Rows:
        margins = self.outer.contentsMargins()
        room = width - margins.left() - margins.right()
        sizes = {id(g): g.sizeHint().width() for g in (*self._groups, self._last)}

        def fits(row: list[QWidget]) -> bool:
            return sum(sizes[id(g)] for g in row) + GROUP_GAP * (len(row) - 1) <= room

        best: Rows | None = None
        for split in _splits(self._groups):
            for i in reversed(range(len(split))):  # the finish button as late as it fits
                rows = [list(r) for r in split]
                rows[i].append(self._last)
                if all(fits(r) for r in rows):
                    if best is None or len(rows) < len(best):
                        best = rows
                    break
        return best or [[g] for g in (*self._groups, self._last)]

    def flow(self) -> None:
        rows = self._arrange(self.width())
        if rows == self._rows:
            return
        for layout in self._row_layouts:
            while layout.count():
                layout.takeAt(0)  # the widgets stay in this box; only their row changes
        for layout, row in zip(self._row_layouts, rows, strict=False):
            for g in row:
                if g is self._last:
                    layout.addStretch(1)
                layout.addWidget(g)
            if self._last not in row:
                layout.addStretch(1)
        self._rows = rows
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        # the bar's height for its width (the instructions wrap): the toolbar asks only this
        hint = super().sizeHint()
        height = self.heightForWidth(self.width()) if self.width() > 0 else -1
        if height > 0:
            hint.setHeight(height)
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.flow()
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the instructions may take another number of lines


def _splits(groups: list[QWidget]) -> list[Rows]:
    """Every way to cut ``groups`` into consecutive rows: the fewest rows first, then the
    fullest first rows (the feelings with the tools rather than the tools with the strength)."""
    if not groups:
        return [[]]
    out: list[Rows] = []
    for n in range(len(groups), 0, -1):
        out.extend([groups[:n], *rest] for rest in _splits(groups[n:]))
    return sorted(out, key=len)


class PatientBar(QToolBar):
    """The patient's toolbar (see the module docstring). Its buttons tell the window's state
    what to do (the feeling, the tool) and the document model the strength; Undo triggers
    ``undo``, "I have finished" calls ``finish``."""

    def __init__(self, window: MainWindow, undo: QAction, finish: Callable[[], None]) -> None:
        from gui.theme import symptom_icon

        super().__init__("Patient")
        self._w = window
        self.setObjectName("patient_toolbar")
        self.setAccessibleName("Drawing tools")
        self.setMovable(False)
        self.setFloatable(False)
        # the chosen feeling and tool must be unmistakable in light and dark palettes
        self.setStyleSheet(
            BUTTON_PADDING + "QPushButton:checked { border: 3px solid palette(highlight);"
            " background: palette(base); }"
        )
        text = QLabel(INSTRUCTIONS)
        text.setObjectName("patient_instructions")
        text.setWordWrap(True)
        text.setFont(big_font(text, 1.2))
        st = window.state
        feel, feel_row = _group("patient_feelings")
        self.symptom_buttons: dict[Symptom, QPushButton] = {}
        choice = QButtonGroup(feel)
        for sym, (label, tip) in PLAIN_SYMPTOMS.items():
            b = big_button(label, tip, f"patient_symptom_{sym.value}", checkable=True)
            b.setIcon(symptom_icon(sym, 28))
            b.clicked.connect(lambda _c=False, s=sym: st.set_symptom(s))
            choice.addButton(b)
            feel_row.addWidget(b)
            self.symptom_buttons[sym] = b
        tools, tool_row = _group("patient_tools")
        self.tool_buttons: dict[Tool, QPushButton] = {}
        choice = QButtonGroup(tools)
        for tool, (label, tip) in PLAIN_TOOLS.items():
            b = big_button(label, tip, f"patient_tool_{tool.value}", checkable=True)
            b.clicked.connect(lambda _c=False, t=tool: self._set_tool(t))
            choice.addButton(b)
            tool_row.addWidget(b)
            self.tool_buttons[tool] = b
        tool_row.addSpacing(GROUP_GAP - SPACING)
        self.undo_button = big_button("Undo", "Take back your last change", "patient_undo")
        self.undo_button.clicked.connect(undo.trigger)
        tool_row.addWidget(self.undo_button)
        strength = self._intensity_row()
        done = big_button("I have finished", "Show the screen to hand back", "patient_finished")
        done.clicked.connect(finish)
        self.box = FlowBox(text, [feel, tools, strength], done)
        self.addWidget(self.box)
        st.symptom_changed.connect(self.sync)
        st.tool_changed.connect(self.sync)
        window.model.findings_changed.connect(self._sync_intensity)
        self.sync()

    def detach(self) -> None:
        """Stop following the window's state and model (before the bar goes)."""
        st = self._w.state
        st.symptom_changed.disconnect(self.sync)
        st.tool_changed.disconnect(self.sync)
        self._w.model.findings_changed.disconnect(self._sync_intensity)

    def _intensity_row(self) -> QWidget:
        """ "How strong is it?" for the chosen feeling, one 0-10 choice per leg."""
        holder, row = _group("patient_strength")
        self.intensity_label = QLabel()
        self.intensity_label.setObjectName("patient_intensity_question")
        self.intensity_label.setFont(big_font(self.intensity_label, 1.2))
        row.addWidget(self.intensity_label)
        self.intensity_combos: dict[Side, QComboBox] = {}
        low, high = INTENSITY_RANGE
        for side in (Side.RIGHT, Side.LEFT):
            c = QComboBox()
            c.setObjectName(f"patient_intensity_{side.value}")
            c.addItem(f"{side.display} leg: –", None)
            for v in range(low, high + 1):
                c.addItem(f"{side.display} leg: {v}", v)
            c.setMinimumHeight(TARGET)
            c.setFont(big_font(c))
            c.setAccessibleName(f"How strong, {side.display.lower()} leg ({low} to {high})")
            c.activated.connect(lambda _i, s=side, cb=c: self._set_intensity(s, cb.currentData()))
            row.addWidget(c)
            self.intensity_combos[side] = c
        return holder

    def _set_intensity(self, side: Side, value: int | None) -> None:
        model, sym = self._w.model, self._w.state.symptom
        rating = "not given" if value is None else f"{value} of {INTENSITY_RANGE[1]}"
        text = f"{side.display} leg, how strong the {sym.value} is: {rating}"
        model.set_findings(model.session.findings.with_intensity(side, sym, value), text)

    def _sync_intensity(self, *_: object) -> None:
        sym = self._w.state.symptom
        low, high = INTENSITY_RANGE
        self.intensity_label.setText(
            f"{STRENGTH_QUESTIONS[sym]}\n{low} = nothing, {high} = the worst you can imagine"
        )
        f = self._w.model.session.findings
        for side, c in self.intensity_combos.items():
            i = max(0, c.findData(f.symptom_intensity(side, sym)))
            if c.currentIndex() != i:
                c.setCurrentIndex(i)

    def _set_tool(self, tool: Tool) -> None:
        st = self._w.state
        if tool is not Tool.CLICK:  # a finger-sized brush
            st.set_brush_size(max(st.brush_size, 24.0))
        st.set_tool(tool)

    def sync(self, *_: object) -> None:
        """Check the chosen feeling and tool; the strength of the chosen feeling."""
        st = self._w.state
        for sym, b in self.symptom_buttons.items():
            b.setChecked(sym is st.symptom)
        for tool, b in self.tool_buttons.items():
            b.setChecked(tool is st.tool)
        self._sync_intensity()
