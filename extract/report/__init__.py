"""The review report: a static HTML report of an output folder in which a reviewer sees
every flagged value on its page (``selfeval report OUT``)."""

from .render import REPORT_DIR, build_report

__all__ = ["REPORT_DIR", "build_report"]
