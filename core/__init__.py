"""Dermamap's Qt-free core: the data model, the clinical engine, session files and the CLI.

Nothing under ``core`` imports Qt or pyqtgraph; the GUI, the command line, reports and the tests all
share it. Public entry points:

- :mod:`core.model` -- frozen dataclasses and enums for sessions and analysis results.
- :mod:`core.zones` -- the canonical area vocabulary and zone-id rules.
- :mod:`core.engine` -- :func:`core.engine.analyze`, marks + findings -> ranked hypotheses.
- :mod:`core.session_io` -- load, validate and save session files.
"""

__version__ = "0.1.0"
