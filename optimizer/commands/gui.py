"""``copperloop gui [FILE]``: open the desktop app (``copperloop`` with no arguments does too).

The app lives in the ``app`` package; it is imported by name inside :func:`run`, so :mod:`optimizer`
never imports Qt (the import contract in ``pyproject.toml`` checks that) and ``copperloop --help``
stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from optimizer.commands import CommandError
from optimizer.commands.outputs import OutputPath
from optimizer.messages import render
from optimizer.window_size import parse_window_size

VIEWS = ("map", "tables", "results", "investment", "routes", "scenarios")


#: What ``--view`` can show: the views, and ``sweep``, a copper-price sweep of FILE run first
#: (app/launch.py)
SCREENSHOT_VIEWS = (*VIEWS, "sweep")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "gui",
        help="open the desktop app (optionally render a view to a PNG and exit)",
        description="Open the CopperLoop desktop app, optionally with FILE. With --screenshot, open FILE, "
        "optionally solve it, render one view to a PNG file and exit (the README's pictures are made so).",
    )
    add = parser.add_argument
    add("file", nargs="?", type=Path, metavar="FILE", help="network or project workbook")
    add(
        "--screenshot",
        action=OutputPath,
        metavar="OUT.png",
        help="save a picture of the window and exit (works without a display too)",
    )
    add(
        "--view", choices=SCREENSHOT_VIEWS, default="map", help="view to show with --screenshot (default map)"
    )
    add("--solve", action="store_true", help="solve the network before the screenshot")
    add("--lang", choices=("en", "zh"), help="interface language (default: saved choice or system)")
    add("--time-limit", type=float, metavar="S", help="solver time limit in seconds with --solve")
    add("--size", type=parse_window_size, metavar="WxH", help="window size of the screenshot, e.g. 1366x768")


def run(args: argparse.Namespace) -> int:
    if no_display():
        if getattr(args, "screenshot", None) is None:
            # Qt would abort the process (SIGABRT, "could not connect to display"): say what to do instead
            views = "|".join(SCREENSHOT_VIEWS)
            usage = f"copperloop gui FILE --screenshot OUT.png [--view {views}] [--solve]"
            lang = getattr(args, "lang", None) or "en"
            raise CommandError(render("cli.no_display", (("command", usage),), lang))
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a picture needs no window system
    app_main = importlib.import_module("app.launch")
    status: int = app_main.run(
        getattr(args, "file", None),
        getattr(args, "screenshot", None),
        getattr(args, "view", "map"),
        getattr(args, "solve", False),
        getattr(args, "lang", None),
        getattr(args, "time_limit", None),
        getattr(args, "size", None),
    )
    return status


def no_display() -> bool:
    """Whether Qt would find no window system to open a window on.

    On Linux and the BSDs that is neither ``DISPLAY`` (X11) nor ``WAYLAND_DISPLAY`` set, unless a platform
    was chosen with ``QT_QPA_PLATFORM`` (``offscreen``, ``vnc``, ...). Windows and macOS always have one.
    """
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
