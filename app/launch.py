"""Launch the desktop app: create the Qt application, then open the window or render one view to a PNG.

The app's three entry files each have one job: ``app/__main__.py`` is ``python -m app`` (it only calls
:func:`main` here); this module starts the application; ``app/main_window.py`` is the window itself.
:func:`run` is what ``copperloop gui`` and ``python -m app`` call. It creates the Qt application, picks
the language (saved choice, else the system locale), installs the error hook, and then either opens the
window for the user (offering crash recovery, opening FILE, or on first run the teaching network with
the three-step hint) or, in screenshot mode, opens FILE, optionally solves it, and saves the window.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from app import i18n
from app.errors import install_excepthook
from app.settings import Settings
from optimizer import parse_window_size

VIEWS = ("map", "tables", "results", "investment", "routes", "scenarios")


#: What ``--screenshot`` can picture: the views, and ``sweep``, a finished sweep (:data:`SCREENSHOT_SWEEP`
#: of FILE is run first)
SCREENSHOT_VIEWS = (*VIEWS, "sweep")
SCREENSHOT_SWEEP = "copper_price=60000:90000:10000"


def application() -> QApplication:
    """The one QApplication (created on first use), with CopperLoop's name and the Fusion style."""
    app = QApplication.instance()
    if app is None:
        if os.environ.get("QT_QPA_PLATFORM") == "offscreen":  # screenshots, CI: no window-system chatter
            os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
        QCoreApplication.setOrganizationName("CopperLoop")
        QCoreApplication.setApplicationName("CopperLoop")
        app = QApplication(sys.argv[:1])
        app.setStyle("Fusion")
    assert isinstance(app, QApplication)
    return app


def _wait(window: object, timeout_s: float) -> bool:
    runner = window.runner  # type: ignore[attr-defined]
    return bool(runner.wait_idle(timeout_s))


def run(
    path: Path | None = None,
    screenshot: Path | None = None,
    view: str = "map",
    solve: bool = False,
    lang: str | None = None,
    time_limit_s: float | None = None,
    size: tuple[int, int] | None = None,
) -> int:
    """Run the app; returns the process exit status (0 on success). ``size``: the screenshot's window
    size in pixels (default 1500 x 920)."""
    app = application()
    settings = Settings()
    i18n.set_language(lang or settings.language or i18n.system_language())
    install_excepthook()

    from app.main_window import MainWindow

    if screenshot is not None:
        return _screenshot(MainWindow(settings=settings), path, screenshot, view, solve, time_limit_s, size)
    open_window(settings, path)
    return int(app.exec())


def open_window(settings: Settings, path: Path | None = None) -> object:
    """Show the main window as a user launching the app sees it, and return it.

    After a crash it offers the autosaved work back; else it opens ``path``; on the very first run it
    opens the teaching network with the three-step hint, so a trainer can demo in a minute.
    """
    from app.main_window import MainWindow, teaching_sample

    window = MainWindow(settings=settings)
    window.show()
    if window.offer_recovery():
        return window
    if path is not None:
        window.open_path(Path(path), ask=False)
    elif not settings.first_run_done:
        sample = teaching_sample()
        if sample is not None:
            window.open_path(sample, as_copy=True, ask=False)
        window.hint.show()
        settings.mark_first_run_done()
    return window


def _screenshot(
    window: object,
    path: Path | None,
    out: Path,
    view: str,
    solve: bool,
    time_limit_s: float | None,
    size: tuple[int, int] | None = None,
) -> int:
    """Open, optionally solve (and route, for the routes view), render ``view`` to ``out``; exit status."""
    from app import errors
    from app.main_window import MainWindow

    assert isinstance(window, MainWindow)
    errors.set_interactive(False)  # nobody is there to close a dialog
    if view not in SCREENSHOT_VIEWS:
        views = ", ".join(SCREENSHOT_VIEWS)
        print(f"copperloop gui: unknown view {view!r}; expected one of {views}", file=sys.stderr)
        return 2
    window.resize(*(size or (1500, 920)))
    window.show()
    try:
        if path is not None:
            if not Path(path).exists():
                print(f'copperloop gui: "{path}": file not found', file=sys.stderr)
                return 2
            window.open_path(Path(path), ask=False)
            _wait(window, 300)
            if window.doc.path != Path(path):
                dialog = window._issues_dialog
                for issue in (dialog.issues if dialog is not None else [])[:10]:
                    print(f"copperloop gui: {issue}", file=sys.stderr)
                return 2
        if solve:
            if time_limit_s is not None:
                window.solve_panel.time_limit.setValue(max(1, int(time_limit_s)))
            if window.solve_panel.solve():
                _wait(window, 24 * 3600)
            if window.doc.plan is None:
                print(f"copperloop gui: no plan: {window.solve_panel.result.text()}", file=sys.stderr)
                return 1
            if view == "routes" and window.routes_view.plan_routes():
                _wait(window, 24 * 3600)
        if view == "sweep" and not _sweep_first(window):
            return 1
        window.show_view(view)
        if window._issues_dialog is not None:
            window._issues_dialog.hide()
        deadline = time.monotonic() + 0.6
        while time.monotonic() < deadline:  # let layouts and the map's label timer settle
            QApplication.processEvents()
            time.sleep(0.02)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out), "PNG"):
            print(f'copperloop gui: could not write "{out}"', file=sys.stderr)
            return 1
        print(out)
        return 0
    finally:
        window.doc.undo_stack.setClean()
        window.close()


def _sweep_first(window: object) -> bool:
    """Run :data:`SCREENSHOT_SWEEP` in the Sweep tab (over the years of a Periods sheet, with break-even
    prices) and wait for it, so the picture shows a finished sweep; False (said) when it failed."""
    view = window.sweep_view  # type: ignore[attr-defined]
    view.factors.setPlainText(SCREENSHOT_SWEEP)
    if view.run():
        _wait(window, 24 * 3600)
    if view.result is None:
        print(f"copperloop gui: no sweep: {view.status.text()}", file=sys.stderr)
        return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m app [FILE] [--screenshot OUT.png --view VIEW --solve] [--lang en|zh]``."""
    parser = argparse.ArgumentParser(prog="python -m app", description="CopperLoop desktop app")
    add_arguments(parser)
    args = parser.parse_args(argv)
    return run_from_args(args)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", type=Path, help="network or project workbook to open")
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="OUT.png",
        help="render a view to OUT.png and exit (for docs and checks)",
    )
    parser.add_argument(
        "--view", choices=SCREENSHOT_VIEWS, default="map", help="view to render with --screenshot"
    )
    parser.add_argument("--solve", action="store_true", help="solve the network before the screenshot")
    parser.add_argument(
        "--lang", choices=i18n.LANGUAGES, help="interface language (default: saved or system)"
    )
    parser.add_argument("--time-limit", type=float, metavar="S", help="solver time limit with --solve")
    parser.add_argument(
        "--size",
        type=parse_window_size,
        metavar="WxH",
        help="window size of the screenshot (default 1500x920)",
    )


def run_from_args(args: argparse.Namespace) -> int:
    return run(
        args.file,
        args.screenshot,
        args.view,
        args.solve,
        args.lang,
        args.time_limit,
        getattr(args, "size", None),
    )
