"""The side panel: urgent banner, caution box and tabs (results, exam findings, regions).

The panel shows :attr:`gui.document.Document.analyses` (the session's atlas and every other atlas,
for the atlas comparison) whenever the document emits ``analysis_changed``, and updates only what
changed: rows are reused, texts are set only when they differ.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.impression import unlisted
from core.names import leg_name, side_name
from core.results import Analysis
from gui.document import Analyses, Document
from gui.panel import atlas_name, escape, hypothesis_name, rich_text
from gui.panel.conditions import ConditionsSection
from gui.panel.hypotheses import HypothesesSection
from gui.panel.labels import (
    HfwCachedLabel,
    PageScroll,
    RichLabel,
    SourcesLabel,
    set_text,
    tab_in_layout_order,
)
from gui.panel.score_chart import ScoreChartHolder
from gui.panel.warnings import CautionBox, RedFlagChecklist, UrgentBanner
from gui.state import UiState

if TYPE_CHECKING:
    from gui.panel.findings_form import FindingsForm

DISCLAIMER = (
    "A ranking aid for the clinician, not a diagnosis: confirm by examination and, when "
    "needed, imaging. Drawings identify the root only modestly well [R15, R16, R17, R20]."
)


def _hline() -> QFrame:
    f = QFrame()
    f.setFrameShape(QFrame.Shape.HLine)
    f.setFrameShadow(QFrame.Shadow.Sunken)
    return f


class SidePanel(QWidget):
    """Everything to the right of the diagram."""

    def __init__(self, document: Document, state: UiState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._model = model = document.model
        self._state = state
        self.setObjectName("side_panel")
        self.setAccessibleName("Results panel")
        self.last_update_ms = 0.0  # the engine's time and this panel's, for the latest change
        self._shown_analyses: Analyses | None = None  # what the panel shows
        self._shown_key: tuple[frozenset[str], bool] | None = None
        self._rows_in_tab_order = -1

        self.banner = UrgentBanner()
        self.caution = CautionBox()

        # results tab -------------------------------------------------------------------
        results = QWidget()
        results.setObjectName("results")
        rl = QVBoxLayout(results)
        rl.setContentsMargins(8, 6, 8, 8)
        rl.setSpacing(4)
        self.disclaimer = RichLabel(role="Disclaimer")
        self.disclaimer.set_rich(DISCLAIMER)
        self.disclaimer.setText(f"<small>{self.disclaimer.text()}</small>")
        self.disclaimer.setObjectName("disclaimer")
        rl.addWidget(self.disclaimer)
        self.sections = {
            "both": HypothesesSection("both", side_name("both")),
            "right": HypothesesSection("right", leg_name("right")),
            "left": HypothesesSection("left", leg_name("left")),
        }
        self.sections["both"].setVisible(False)
        for sec in self.sections.values():
            rl.addWidget(sec)
        # the notes and the atlas comparison under a heading of their own, after both legs:
        # without it, a note about a right-leg mark read as one under "Left leg" (a UX review)
        self.notes_section = QWidget()
        self.notes_section.setObjectName("notes_section")
        self.notes_section.setAccessibleName("Notes")
        nl = QVBoxLayout(self.notes_section)
        nl.setContentsMargins(0, 4, 0, 4)
        nl.setSpacing(2)
        self.notes_header = QLabel("<b>Notes</b>")
        self.notes_header.setObjectName("notes_header")
        nl.addWidget(self.notes_header)
        self.note = RichLabel(role="Notes")
        self.note.setObjectName("notes")
        self.note_sources = SourcesLabel()
        self.note.setVisible(False)
        self.note_sources.setVisible(False)
        nl.addWidget(self.note)
        nl.addWidget(self.note_sources)
        self.atlas_note = HfwCachedLabel()
        self.atlas_note.setObjectName("atlas_comparison")
        self.atlas_note.setWordWrap(True)
        self.atlas_note.setVisible(False)
        nl.addWidget(self.atlas_note)
        self.notes_section.setVisible(False)
        rl.addWidget(self.notes_section)
        self.chart = ScoreChartHolder()
        rl.addWidget(self.chart)
        rl.addWidget(_hline())
        self.conditions = ConditionsSection()
        rl.addWidget(self.conditions)
        rl.addWidget(_hline())
        self.red_flags = RedFlagChecklist(model)
        rl.addWidget(self.red_flags)
        rl.addStretch(1)

        # the exam form sits in a tab that is not shown at first: it is built when its tab is
        # opened or ``form`` is read
        self._form: FindingsForm | None = None
        self._results = results
        self._exam_scroll = self._scroll(None, "Exam and history")

        self.tabs = QTabWidget()
        self.tabs.setObjectName("panel_tabs")
        self.tabs.setAccessibleName("Panel sections")
        self.tabs.setDocumentMode(True)
        self._results_scroll = self._scroll(results, "Results")
        self.tabs.addTab(self._results_scroll, "&Results")
        self.tabs.addTab(self._exam_scroll, "E&xam")
        self.tabs.currentChanged.connect(self._tab_changed)
        # a tab chosen by its key (Alt+X) takes the focus, so that Tab goes on into its page
        # (the focus stayed where it was: in the diagram, where Tab steps through the zones)
        self.tabs.tabBar().installEventFilter(self)
        self.tabs.setTabToolTip(0, "Ranked hypotheses, conditions and warning signs")
        self.tabs.setTabToolTip(1, "Examination findings and history")

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(4)
        lay.addWidget(self.banner)
        lay.addWidget(self.caution)
        lay.addWidget(self.tabs, 1)

        document.analysis_changed.connect(self._on_analysis)
        self._show(document.analyses)
        self._update_min_width()

    def _update_min_width(self) -> None:
        """Never narrower than the content (the scroll areas do not scroll sideways)."""
        sb = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        need = self._results.minimumSizeHint().width()
        if self._form is not None:
            need = max(need, self._form.minimumSizeHint().width())
        self.setMinimumWidth(max(340, need + sb + 12))

    @property
    def form(self) -> FindingsForm:
        """The exam and history form (built on first use)."""
        if self._form is None:
            from gui.panel.findings_form import FindingsForm

            self._form = FindingsForm(self._model)
            self._exam_scroll.setWidget(self._form)
            tab_in_layout_order(self._form, after=self._exam_scroll)
            self._update_min_width()
        return self._form

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Shortcut and obj is self.tabs.tabBar():
            self.tabs.tabBar().setFocus(Qt.FocusReason.ShortcutFocusReason)
        return super().eventFilter(obj, event)

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self._exam_scroll:
            self.form  # noqa: B018  (builds it)

    def _scroll(self, w: QWidget | None, name: str) -> QScrollArea:
        sa = PageScroll()
        if w is not None:
            sa.setWidget(w)
        sa.setWidgetResizable(True)
        sa.setFrameShape(QFrame.Shape.NoFrame)
        sa.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        sa.setAccessibleName(name)
        return sa

    def add_tab(self, widget: QWidget, title: str, tooltip: str = "") -> int:
        """Add a tab (the window adds the region list here)."""
        i = self.tabs.addTab(widget, title)
        if tooltip:
            self.tabs.setTabToolTip(i, tooltip)
        return i

    def refresh_theme(self) -> None:
        self.banner.refresh_theme()
        self.caution.refresh_theme()
        self.chart.refresh_theme()
        self.conditions.refresh_theme()
        for sec in self.sections.values():
            for row in sec.rows:
                row.hypothesis = None
        self._show(self._document.analyses, force=True)

    # analysis -----------------------------------------------------------------------------
    @property
    def analysis(self) -> Analysis:
        """The analysis shown (the document's, under the session's atlas)."""
        return self._document.analysis

    def _on_analysis(self, analyses: Analyses) -> None:
        t = time.perf_counter()
        self._show(analyses)
        self.last_update_ms = self._document.last_update_ms + (time.perf_counter() - t) * 1000.0

    def _show(self, analyses: Analyses, force: bool = False) -> None:
        a = analyses.current
        session = self._model.session
        marked = frozenset(m.side.value for m in session.marks)
        # the document's reading is compared by identity: comparing analyses would make the
        # explanation of every hypothesis (made when it is first read)
        key = (marked, session.findings.has_exam())
        if not force and analyses is self._shown_analyses and key == self._shown_key:
            return
        self._shown_analyses, self._shown_key = analyses, key
        self.banner.set_warnings(a.warnings)
        self.caution.set_warnings(a.warnings)
        self.red_flags.show_triggers(a.warnings)

        both = [h for h in a.hypotheses if h.side == "both"]
        self.sections["both"].set_hypotheses(both)
        self.sections["both"].setVisible(bool(both))
        umn = [w.params["sides"] for w in a.warnings if w.id == "upper_motor_neuron"]
        umn_sides = umn[0] if umn else ()
        for side in ("right", "left"):
            hyps = [h for h in a.hypotheses if h.side == side]
            if side not in marked and side in umn_sides and not hyps:
                empty = (
                    f"Nothing marked on the {side} leg. Its upper motor neuron signs point above "
                    "the roots: see the caution above."
                )
            elif side not in marked:
                empty = f"Nothing marked on the {side} leg."
            elif not hyps:
                empty = "No root or nerve pattern recognised for these marks."
            else:
                empty = ""
            self.sections[side].set_hypotheses(
                hyps, empty, a.unexplained.get(side), unlisted(a, side) or 0.0
            )

        # notes (the decision-support note is the panel's permanent disclaimer)
        notes = [n for n in a.notes if n.id != "decision_support"]
        texts = [rich_text(n.text) for n in notes]
        html = "".join(f"<p style='margin:0 0 3px 0'>{t}</p>" for t in texts)
        set_text(self.note, f"<small>{html}</small>" if html else "")
        self.note.setVisible(bool(texts))
        sources = tuple(dict.fromkeys(src for n in notes for src in n.sources))
        self.note_sources.set_sources(sources)
        self.note_sources.setVisible(bool(sources))

        # atlas comparison
        lines = [
            f"Under {escape(atlas_name(t.atlas))}: {hypothesis_name(t.hypothesis)} ({t.side})"
            for t in analyses.other_map_tops()
        ]
        if lines:
            head = f"<b>Maps disagree</b> (this reading uses {escape(atlas_name(a.atlas))}):"
            set_text(self.atlas_note, head + "<br>" + "<br>".join(lines))
        self.atlas_note.setVisible(bool(lines))
        self.atlas_note.setAccessibleName("Atlas comparison: " + "; ".join(lines))
        self.notes_section.setVisible(bool(texts) or bool(lines))

        self.chart.set_analysis(a)
        self.conditions.set_conditions(a.conditions)
        rows = sum(len(s.rows) for s in self.sections.values()) + len(self.conditions.rows)
        if rows != self._rows_in_tab_order:  # rows are made as results first need them
            self._rows_in_tab_order = rows
            tab_in_layout_order(self._results, after=self._results_scroll)

    # read back (tests, status bar) ---------------------------------------------------------
    def displayed(self, side: str) -> list[str]:
        """Hypothesis ids shown for ``side`` ("both" items first), in order."""
        # (not hidden, rather than visible: the Results tab may not be the one open)
        both = self.sections["both"]
        out = [] if both.isHidden() else list(both.displayed())
        if side != "both":
            out += self.sections[side].displayed()
        return out

    def atlas_comparison_text(self) -> str:
        return self.atlas_note.text() if self.atlas_note.isVisibleTo(self) else ""
