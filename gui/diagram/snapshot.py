"""The diagram's start-up picture: its first frame, kept from the last start.

Building the live chart (artwork, items, fonts, overlays) and painting it costs the first frame
about 45 ms. When the window starts, the chart looks the same every time: the session is still
empty (a file given on the command line opens after the first paint), nothing is hovered or
focused and the view fits the window. So the app keeps the pixels of that frame and shows them
at the next start, exactly where the live chart will be; one event-loop turn after the first
paint the live chart replaces them (same pixels, so nothing changes on screen) and takes the
clicks.

The picture never holds a patient's marks: it is only taken while the chart still looks as it
did at start (nothing marked, focused or hovered). It is only shown when it is certainly
current: its file names a *fingerprint* of everything the chart's look depends on (the drawing
code and artwork files, the Qt and PySide6 versions, the palette, the default font and screen
resolution, the chart's state), its size and its device pixel ratio; the window compares the
size and ratio with the laid-out chart's place before its first paint and draws the live chart
instead when they differ. When no picture was shown (first start, another window size, new code,
another palette), the live chart's pixels are kept once the window is ready; a picture that was
shown is compared with the live chart's pixels at most once a day and rewritten if they differ.
A missing, stale, truncated or foreign file only means the first frame draws the live chart, as
without the picture.
``DERMAMAP_NO_SNAPSHOT=1`` turns the picture off.

Where: ``DERMAMAP_CACHE_DIR``, else ``cache`` in ``DERMAMAP_SETTINGS_DIR``, else the user's
cache folder (``QStandardPaths.CacheLocation``). One file per light/dark theme, raw
premultiplied ARGB pixels after a three-line text header; written atomically.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui import theme

if TYPE_CHECKING:
    from gui.session_model import SessionModel
    from gui.state import UiState

MAGIC = b"DERMAMAP-FIRST-FRAME 1"
MAX_PIXEL_BYTES = 96 << 20  # never keep (or read) a picture larger than this
VERIFY_AFTER_S = 24 * 3600  # a shown picture is compared with the live chart once a day
_FORMAT = QImage.Format.Format_ARGB32_Premultiplied


def enabled() -> bool:
    """False when ``DERMAMAP_NO_SNAPSHOT`` is set to anything but ``0`` or empty."""
    return os.environ.get("DERMAMAP_NO_SNAPSHOT", "") in ("", "0")


def cache_dir() -> Path:
    """The folder of the picture files (see the module's documentation)."""
    folder = os.environ.get("DERMAMAP_CACHE_DIR")
    if folder:
        return Path(folder)
    settings = os.environ.get("DERMAMAP_SETTINGS_DIR")
    if settings:
        return Path(settings) / "cache"
    from PySide6.QtCore import QStandardPaths

    location = QStandardPaths.StandardLocation.CacheLocation
    return Path(QStandardPaths.writableLocation(location) or Path.home() / ".cache" / "dermamap")


def picture_path() -> Path:
    """The picture file of the current light/dark theme."""
    return cache_dir() / f"first-frame-{'dark' if theme.is_dark() else 'light'}.bin"


def _source_stamps() -> list[str]:
    """Name, size and modification time of every file the chart's look is made from."""
    gui_dir = Path(__file__).resolve().parent.parent
    root = gui_dir.parent
    folders = [gui_dir / "diagram", root / "core"]
    files = [gui_dir / "theme.py", gui_dir / "state.py", gui_dir / "session_model.py"]
    import assets  # the package's folder (core.assets would import json: ~4 ms)

    for location in assets.__path__:
        folders.append(Path(location) / "diagram")
        files.append(Path(location) / "areas.json")
    out: list[str] = []
    for folder in folders:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            out.append(f"{folder}:missing")
            continue
        for entry in entries:
            if entry.is_file() and not entry.name.endswith((".pyc", ".pyo")):
                st = entry.stat()
                out.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
    for file in files:
        try:
            st = file.stat()
            out.append(f"{file.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            out.append(f"{file.name}:missing")
    return out


def chart_state(model: SessionModel, state: UiState) -> str:
    """What the chart shows besides its artwork: marks, atlas, overlays, mode, focus, hover."""
    s = model.session
    return repr(
        (
            s.marks,
            s.atlas,
            state.show_dermatomes,
            state.show_nerves,
            state.show_key_points,
            state.show_disagreement,
            state.mode.value,
            state.tool.value,
            state.current_zone,
            state.hovered_zone,
            sorted(state.highlight.items()),
            state.highlight_color,
        )
    )


def fingerprint(model: SessionModel, state: UiState) -> str:
    """One line naming everything the chart's first frame looks like, except its size."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtGui import QGuiApplication, QPalette

    app = QGuiApplication.instance()
    pal = QGuiApplication.palette()
    roles = (
        QPalette.ColorRole.Window,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Base,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.Highlight,
    )
    screen = QGuiApplication.primaryScreen()
    parts = [
        f"qt={qVersion()}",
        f"pyside={pyside_version}",
        f"python={sys.version_info[:3]}",
        f"platform={QGuiApplication.platformName() if app is not None else ''}",
        f"dpi={screen.logicalDotsPerInch() if screen is not None else 0}",
        f"font={QGuiApplication.font().toString()}",
        "palette=" + ",".join(pal.color(r).name(QColor.NameFormat.HexArgb) for r in roles),
        f"dark={theme.is_dark()}",
        f"state={chart_state(model, state)}",
        *_source_stamps(),
    ]
    data = "|".join(parts).encode("utf-8")
    # a short line for the file's header: CRC-32 and Adler-32 (64 bits; zlib is loaded at
    # start-up, hashlib is not) and the length of the full text
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}-{len(data)}"


def load(key: str, path: Path | None = None) -> QImage | None:
    """The kept picture for ``key``, or None (missing, another key, unreadable or truncated)."""
    path = path or picture_path()
    try:
        with open(path, "rb") as fh:
            head = [fh.readline(200) for _ in range(3)]
            if head[0].rstrip(b"\n") != MAGIC or head[1].rstrip(b"\n") != key.encode("ascii"):
                return None
            w, h, stride, dpr_milli = (int(x) for x in head[2].split())
            size = stride * h
            if not (0 < w <= 16384 and 0 < h <= 16384 and stride == 4 * w):
                return None
            if size > MAX_PIXEL_BYTES or not 500 <= dpr_milli <= 8000:
                return None
            data = fh.read(size + 1)
    except (OSError, ValueError, UnicodeError):
        return None
    if len(data) != size:
        return None
    image = QImage(data, w, h, stride, _FORMAT)
    image = image.copy()  # owns its pixels (the bytes object goes away)
    image.setDevicePixelRatio(dpr_milli / 1000.0)
    return image


def save(image: QImage, key: str, path: Path | None = None) -> bool:
    """Keep ``image`` as the picture for ``key`` (atomically); False when it cannot."""
    path = path or picture_path()
    img = image.convertToFormat(_FORMAT)
    w, h = img.width(), img.height()
    stride = img.bytesPerLine()
    if w <= 0 or h <= 0 or stride != 4 * w or stride * h > MAX_PIXEL_BYTES:
        return False
    dpr_milli = round(img.devicePixelRatio() * 1000)
    header = b"%s\n%s\n%d %d %d %d\n" % (MAGIC, key.encode("ascii"), w, h, stride, dpr_milli)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(header)
            fh.write(bytes(img.constBits()))
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        return False
    return True


def keep(
    view: QWidget, start_key: str, key_now: str, shown: QImage | None, path: Path | None = None
) -> bool:
    """After the window is ready: keep the live chart's pixels when they can be the next start's.

    Only while the chart still looks as it did at start (``key_now == start_key``: no marks,
    no focus, no hover, same overlays), fits the window and shows no legend. ``shown`` is the
    picture this start showed, if it did: it is compared with the live chart's pixels at most
    once a day (taking them costs ~10 ms at 1366 x 768, ~30 ms at 2560 x 1440), and rewritten
    if they differ (something the fingerprint does not cover changed). Returns True when the
    file was written.
    """
    from PySide6.QtWidgets import QGraphicsView

    if key_now != start_key or not isinstance(view, QGraphicsView) or not view.isVisible():
        return False
    if not getattr(view, "fits_window", False):
        return False
    vp = view.viewport()
    if vp.geometry() != view.rect():  # a legend strip, scroll bars or a frame
        return False
    if vp.devicePixelRatioF() != int(vp.devicePixelRatioF()):  # never shown (see exact)
        return False
    path = path or picture_path()
    if shown is not None:
        try:
            age = time.time() - path.stat().st_mtime
        except OSError:
            age = VERIFY_AFTER_S
        if 0 <= age < VERIFY_AFTER_S:
            return False  # shown, and found right within the last day
    image = vp.grab().toImage().convertToFormat(_FORMAT)
    kept = shown if shown is not None else load(start_key, path)
    if kept is not None and _same_pixels(image, kept):
        with contextlib.suppress(OSError):
            os.utime(path)  # found right now
        return False
    return save(image, start_key, path)


def _same_pixels(a: QImage, b: QImage) -> bool:
    return (
        a.size() == b.size()
        and a.devicePixelRatio() == b.devicePixelRatio()
        and a.convertToFormat(_FORMAT) == b.convertToFormat(_FORMAT)
    )


class SnapshotView(QWidget):
    """Shows the kept picture where the live chart will be, until the live chart replaces it.

    Parameters
    ----------
    image
        The picture from :func:`load`. When the widget's size differs from the picture's
        (the window was resized since), the picture is scaled to fit for that one frame.
    """

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self.setObjectName("diagram_snapshot")
        self.setAccessibleName("Body diagram (loading)")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        # takes the window's first focus as the chart would, and hands it over to the chart
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # laid out like the chart (a scroll area: expanding), so the splitter gives both the
        # same room and keeps it when the chart replaces the picture
        grow = QSizePolicy.Policy.Expanding
        self.setSizePolicy(grow, grow)

    @property
    def exact(self) -> bool:
        """True when the picture matches this widget's size in device pixels.

        Never at a fractional pixel ratio (125 %, 150 % ...): there the chart's pixels depend
        on where it lies in the window (sub-pixel offsets), so a picture may differ slightly.
        """
        dpr = self.devicePixelRatioF()
        if dpr != int(dpr):
            return False
        # Qt's rounding (half away from zero; Python's round() goes to even), as grab() sizes
        size = QSize(int(self.width() * dpr + 0.5), int(self.height() * dpr + 0.5))
        return self.image.size() == size and abs(self.image.devicePixelRatio() - dpr) < 1e-3

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        if self.exact:
            p.drawImage(0, 0, self.image)
        else:
            p.fillRect(self.rect(), theme.diagram_colors().background)
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            img = self.image
            dpr = img.devicePixelRatio()
            iw, ih = img.width() / dpr, img.height() / dpr
            k = min(self.width() / iw, self.height() / ih)
            w, h = iw * k, ih * k
            p.drawImage(
                QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h),
                img,
                QRectF(0, 0, img.width(), img.height()),
            )
        p.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the live chart takes clicks one event-loop turn later
