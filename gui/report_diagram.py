"""The diagram on paper and in images: the app's own scene rendered at print resolution.

Used by the report (:mod:`gui.report`) and the visit comparison (:mod:`gui.compare_view`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPaintEngine, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from core.model import Session
from gui import theme
from gui.report_legend import caption_text, strip_height, with_legend

PREVIEW_SCALE = 1.0
"""The diagram's image in a print preview: at most this many pixels per point of the drawing."""

# --- the diagram ----------------------------------------------------------------------------


def diagram_scene(session: Session, *, overlay: bool = False) -> tuple[QGraphicsScene, Any]:
    """The app's diagram scene showing ``session`` (marks, and the dermatome overlay if asked).

    Returns the scene and an object that must stay alive while the scene is used.
    """
    from gui.diagram.view import DiagramView
    from gui.session_model import SessionModel
    from gui.state import UiState

    model = SessionModel(session)
    state = UiState()
    state.set_overlays(dermatomes=overlay, key_points=False)
    with theme.paper():  # made, and drawn (see _scene_image), in the light colours
        view = DiagramView(model, state)
    scene = view.scene()
    # On screen, captions keep their pixel size at every zoom; on paper there is no zoom, so they
    # scale with the drawing like everything else (else they overlap at print resolution).
    fixed = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
    for item in scene.items():
        if item.flags() & fixed:
            item.setFlag(fixed, False)
    return scene, (model, state, view)


def render_diagram(
    painter: QPainter, target: QRectF, session: Session, *, overlay: bool = False
) -> QRectF:
    """Draw the whole diagram and its legend into ``target`` keeping the aspect ratio; returns
    the rect used.

    The diagram goes onto the page as an image at the page's resolution: its text is laid out
    with the screen's font metrics, which a vector drawing at printer resolution would not keep.
    """
    scene, keep = diagram_scene(session, overlay=overlay)
    source = scene.itemsBoundingRect()
    full_h = source.height() + strip_height(False)
    scale = min(target.width() / source.width(), target.height() / full_h)
    w, h = source.width() * scale, full_h * scale
    rect = QRectF(target.x() + (target.width() - w) / 2, target.y(), w, h)
    device = painter.transform().mapRect(rect)
    px = max(1.0, min(4.0, device.width() / source.width()))
    engine = painter.paintEngine()
    if engine is not None and engine.type() == QPaintEngine.Type.Picture:
        # a print preview records the page and shows it at screen size: an image made for the
        # printer would be shrunk eight-fold there, and its hatching break into a moire
        px = min(px, PREVIEW_SCALE)
    painter.save()
    # filtered where the page is shown smaller than made (unfiltered, outlines broke into dots)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(rect, with_legend(_scene_image(scene, source, px), px))
    painter.restore()
    del keep
    return rect


def diagram_aspect(session: Session, overlay: bool = False) -> float:
    scene, keep = diagram_scene(session, overlay=overlay)
    r = scene.itemsBoundingRect()
    del keep
    return (r.height() + strip_height(False)) / r.width() if r.width() else 0.65


def _scene_image(scene: QGraphicsScene, source: QRectF, scale: float) -> QImage:
    """``source`` of ``scene`` as an image at ``scale`` × its natural size, on white."""
    img = QImage(
        max(1, round(source.width() * scale)),
        max(1, round(source.height() * scale)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    img.fill(QColor("white"))
    p = QPainter(img)
    p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    with theme.paper():
        scene.render(p, QRectF(0, 0, img.width(), img.height()), source)
    p.end()
    return img


def diagram_image(
    session: Session,
    *,
    overlay: bool = False,
    scale: float = 2.0,
    legend: bool = True,
    alerts: Sequence[str] = (),
) -> QImage:
    """The diagram as an image at ``scale`` × its natural size, on white; with ``legend`` the
    legend strip, then ``alerts`` (the urgent warnings' headlines,
    :func:`gui.report_legend.alert_lines`), one a line, and a caption (patient, visit date,
    map) below it."""
    scene, keep = diagram_scene(session, overlay=overlay)
    img = _scene_image(scene, scene.itemsBoundingRect(), scale)
    del keep
    if legend:
        img = with_legend(img, scale, caption_text(session, session.atlas), alerts)
    return img
