"""The clinical engine: :func:`analyze` and :data:`ATLAS_IDS` (Qt-free, pure Python)."""

from core._engine import ATLAS_IDS, analyze

__all__ = ["ATLAS_IDS", "analyze"]
