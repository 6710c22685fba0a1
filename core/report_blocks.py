"""The unit of a report's flow (Qt-free): :class:`Block`.

Its own module so that the report's content (:mod:`core.report_content`) and the visit
comparison's part of it (:mod:`core.compare_report`) both use it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Block:
    """One unit of the flow: rich text, or the diagram at a fixed height."""

    html: str = ""
    height: float = 0.0  # the diagram only
    diagram: bool = False  # the symptom diagram goes here
    keep_with_next: bool = False
    space_before: float = 0.0  # points
    boxed: str = ""  # border colour of a framed block (urgent banner); "" = no frame
    fill: str = "#fdecea"  # background of a framed block (the urgent banner's pale red)
    splittable: bool = False  # may start at the foot of a page and continue on the next
    # a table whose first row is its header (``html`` is the table alone): it splits only
    # between rows, and each continuation begins with the header again
    split_rows: bool = False
    picture: str = ""  # which diagram: "" = the session's, "change" = the visit comparison
