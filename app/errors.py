"""No traceback reaches the user: unexpected errors become a dialog with a copyable report and a log file.

:func:`install_excepthook` replaces ``sys.excepthook`` (which Qt calls for exceptions raised in slots)
so that a bug shows one calm dialog, writes the full traceback to ``copperloop/logs`` under the user's
temporary folder, and leaves the document as it was: every edit is an atomic document replacement, so a
failure half-way through an edit never leaves a half-edited network behind.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr

_showing = False
_interactive = True


def set_interactive(interactive: bool) -> None:
    """Off in unattended runs (``--screenshot``): errors are logged and printed, no dialog waits."""
    global _interactive
    _interactive = interactive


def log_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "copperloop" / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_error_log(report: str) -> Path:
    """Write ``report`` to a new log file and return its path."""
    path = log_folder() / f"gui-error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    path.write_text(report, encoding="utf-8")
    return path


def error_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """A plain-text report: versions and the traceback, for the user to paste into a bug report."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        ours = version("copperloop")
    except PackageNotFoundError:
        ours = "unknown"
    try:
        from PySide6 import __version__ as qt_version
    except ImportError:  # pragma: no cover
        qt_version = "?"
    header = (
        f"CopperLoop {ours}\nPython {sys.version.split()[0]} on {platform.platform()}\nPySide6 {qt_version}\n"
        f"time {time.strftime('%Y-%m-%d %H:%M:%S')}\n\n"
    )
    return header + "".join(traceback.format_exception(exc_type, exc, tb))


class ErrorDialog(QDialog):
    """Says something went wrong, that the work is safe, where the log is, with the report to copy."""

    def __init__(
        self, summary: str, report: str, log_path: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("error.title"))
        self.resize(640, 420)
        intro = QLabel(tr("error.intro", summary=summary))
        intro.setWordWrap(True)
        where = QLabel(tr("error.log", path=str(log_path)) if log_path else "")
        where.setTextInteractionFlags(
            where.textInteractionFlags() | where.textInteractionFlags().TextSelectableByMouse
        )
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(tr("error.copy"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QApplication.clipboard().setText(report))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(where)
        layout.addWidget(self.report, 1)
        layout.addWidget(buttons)


def show_error(summary: str, report: str, parent: QWidget | None = None) -> Path | None:
    """Log ``report`` and show it in a dialog (not re-entrant: a second error while one shows is only
    logged)."""
    global _showing
    try:
        path: Path | None = write_error_log(report)
    except OSError:
        path = None
    if _showing or not _interactive or QApplication.instance() is None:
        sys.stderr.write(f"copperloop: {summary} (details in {path})\n")
        return path
    _showing = True
    try:
        ErrorDialog(summary, report, path, parent or QApplication.activeWindow()).exec()
    finally:
        _showing = False
    return path


def _hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    show_error(f"{exc_type.__name__}: {exc}", error_report(exc_type, exc, tb))


def install_excepthook() -> None:
    """Route every uncaught exception on the GUI thread to :func:`show_error`."""
    sys.excepthook = _hook
