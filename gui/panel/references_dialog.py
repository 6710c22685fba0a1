"""The searchable reference list (Help → References; a citation link in the panel opens it)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from core.references import used_by_lines
from gui.panel import references
from gui.screen_fit import resize_within_screen

_USED_BY_ROLE = Qt.ItemDataRole.UserRole + 1
_IDS_ROLE = Qt.ItemDataRole.UserRole + 2


def works() -> dict[str, list[str]]:
    """Each work's own id -> every id the data cite it by, in the order of the reference list
    (several ids may name one work: ``same_as``), as the report lists them."""
    out: dict[str, list[str]] = {}
    for ref in references().values():
        out.setdefault(ref.same_as or ref.id, []).append(ref.id)
    return out


def used_by_html(*rids: str) -> str:
    """The statements in the app that cite any of ``rids``, as a compact HTML list."""
    lines = list(dict.fromkeys(line for rid in rids for line in used_by_lines(rid)))
    if not lines:
        return "<p><i>No statement in the clinical data cites this reference.</i></p>"
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return f"<p><b>Used by</b></p><ul style='margin-top:0'>{items}</ul>"


class ReferencesDialog(QDialog):
    """Every reference with its full citation and the statements that rely on it; a search
    field filters the list (by citation words, id or the statements that cite it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("References — Dermamap")
        self.setObjectName("references_dialog")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search references (author, year, words, id)…")
        self.search.setAccessibleName("Search references")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setAccessibleName("References")
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(True)
        self.detail.setAccessibleName("Selected reference")
        self.detail.setPlaceholderText(
            "Choose a reference to see its link and what in Dermamap rests on it."
        )
        self.count = QLabel()
        # one entry a work, however many ids cite it (the Bowley and Doughty review had six)
        refs = references()
        for own, ids in works().items():
            ref = refs[own]
            item = QListWidgetItem(f"{', '.join(ids)}  {ref.citation}")
            item.setData(Qt.ItemDataRole.UserRole, own)
            item.setData(_IDS_ROLE, ids)
            used = " ".join(line for rid in ids for line in used_by_lines(rid))
            item.setData(_USED_BY_ROLE, used.lower())
            item.setToolTip(ref.citation)
            self.list.addItem(item)
        self.search.textChanged.connect(self._filter)
        self.list.currentItemChanged.connect(self._selected)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        # Enter in the search (or on an entry) closed the dialog, Close being its default
        # button: Enter goes to the first match instead; Escape closes
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setAutoDefault(False)
        close.setDefault(False)
        self.search.returnPressed.connect(self._first_match)
        lay = QVBoxLayout(self)
        lay.addWidget(self.search)
        lay.addWidget(self.count)
        lay.addWidget(split, 1)
        lay.addWidget(buttons)
        resize_within_screen(self, 720, 560)
        self._filter("")

    def _first_match(self) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if not item.isHidden():
                self.list.setCurrentItem(item)
                self.list.setFocus()
                return

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        shown = 0
        for i in range(self.list.count()):
            item = self.list.item(i)
            hay = f"{item.text()} {item.data(_USED_BY_ROLE) or ''}".lower()
            hide = any(w not in hay for w in words)
            item.setHidden(hide)
            shown += not hide
        self.count.setText(f"{shown} of {self.list.count()} references")

    def _selected(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        if item is None:
            self.detail.clear()
            return
        ref = references().get(str(item.data(Qt.ItemDataRole.UserRole)))
        if ref is None:
            return
        ids = list(item.data(_IDS_ROLE))
        url = f'<p><a href="{escape(ref.url)}">{escape(ref.url)}</a></p>' if ref.url else ""
        self.detail.setHtml(
            f"<p><b>{', '.join(ids)}</b> {escape(ref.citation)}</p>{url}{used_by_html(*ids)}"
        )

    def select(self, rid: str) -> bool:
        """Select and scroll to the work cited as ``rid``; False if unknown."""
        for i in range(self.list.count()):
            item = self.list.item(i)
            if rid in item.data(_IDS_ROLE):
                if item.isHidden():
                    self.search.clear()
                self.list.setCurrentItem(item)
                self.list.scrollToItem(item, QListWidget.ScrollHint.PositionAtTop)
                return True
        return False

    def visible_ids(self) -> list[str]:
        """Every id of the works listed (the search may hide some)."""
        return [
            str(rid)
            for i in range(self.list.count())
            if not self.list.item(i).isHidden()
            for rid in self.list.item(i).data(_IDS_ROLE)
        ]


def show_references(parent: QWidget | None, rid: str | None = None) -> ReferencesDialog:
    """Show the (one per window) non-modal references dialog, at ``rid`` if given."""
    dlg = parent.findChild(ReferencesDialog) if parent is not None else None
    if dlg is None:
        dlg = ReferencesDialog(parent)
    if rid:
        dlg.select(rid)
    dlg.show()
    dlg.raise_()
    dlg.activateWindow()
    return dlg
