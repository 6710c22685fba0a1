"""Zoom and fit of the chart's view: Ctrl + wheel or a pinch zooms around the pointer, the
View menu's zoom in / out / fit; the view fits the window on every resize until the user zooms.
Scroll bars show only once zoomed."""

from __future__ import annotations

import math
from typing import cast

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QNativeGestureEvent, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsView, QWidget

ZOOM_STEP = 1.25
MIN_ZOOM = 0.5  # relative to the fit scale
MAX_ZOOM = 12.0
LABEL_SCALE_MIN = 0.85
LABEL_SCALE_MAX = 2.2


class ZoomableView(QGraphicsView):
    """A graphics view that fits :attr:`_content` (scene rectangle) and zooms within limits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._content = QRectF()
        self._user_zoomed = False
        self._fit_scale = 1.0
        self._label_scale = 1.0

    def zoom_in(self) -> None:
        self._zoom_by(ZOOM_STEP, None)

    def zoom_out(self) -> None:
        self._zoom_by(1 / ZOOM_STEP, None)

    def fit_all(self) -> None:
        """Fit every view into the window; the view keeps fitting on resize until a zoom."""
        self._user_zoomed = False
        self._show_scroll_bars(False)
        self._fit()

    @property
    def fits_window(self) -> bool:
        """True while the view fits every view into the window (no zoom since the last fit)."""
        return not self._user_zoomed

    @property
    def zoom(self) -> float:
        """Current scale relative to the fit-to-window scale."""
        return self.transform().m11() / self._fit_scale if self._fit_scale else 1.0

    def _fit(self) -> None:
        # the viewport's size without scroll bars: a fitted chart needs none (while the old
        # transform still asks for them, the viewport itself is smaller for a moment)
        vp = self.maximumViewportSize()
        r = self._content
        if vp.width() < 10 or vp.height() < 10 or r.isEmpty():
            return
        s = min(vp.width() / r.width(), vp.height() / r.height())
        self.resetTransform()
        self.scale(s, s)
        self._fit_scale = s
        self.centerOn(r.center())
        self._scale_labels()

    def _show_scroll_bars(self, on: bool) -> None:
        """Scroll bars only once zoomed: a fitted chart needs none, and a fitted view with the
        policy "as needed" shows them for a frame while its transform is still the old one."""
        policy = (
            Qt.ScrollBarPolicy.ScrollBarAsNeeded if on else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )
        self.setHorizontalScrollBarPolicy(policy)
        self.setVerticalScrollBarPolicy(policy)

    def _scale_labels(self) -> None:
        """Labels follow the zoom like the artwork, but stay readable and never balloon. (Called
        even when ``k`` is unchanged: captions also depend on the artwork's own scale.)"""
        k = max(LABEL_SCALE_MIN, min(LABEL_SCALE_MAX, self.transform().m11()))
        self._label_scale = k
        self._labels_scaled(k)

    def _labels_scaled(self, k: float) -> None:
        """Labels are drawn at scale ``k`` now (the chart scales its captions and labels)."""

    def _zoom_by(self, factor: float, anchor: QPointF | None) -> None:
        cur = self.transform().m11()
        target = max(self._fit_scale * MIN_ZOOM, min(self._fit_scale * MAX_ZOOM, cur * factor))
        if math.isclose(target, cur):
            return
        if not self._user_zoomed:
            self._user_zoomed = True
            self._show_scroll_bars(True)
        if anchor is None:
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.scale(target / cur, target / cur)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._scale_labels()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_zoomed:
            self._fit()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        if not self._user_zoomed:
            self._fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            dy = event.angleDelta().y()
            if dy:
                self._zoom_by(ZOOM_STEP ** (dy / 120), event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.NativeGesture:
            ge = cast(QNativeGestureEvent, event)
            if ge.gestureType() == Qt.NativeGestureType.ZoomNativeGesture:
                self._zoom_by(1.0 + ge.value(), ge.position())
                return True
        return super().viewportEvent(event)
