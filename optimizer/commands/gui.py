"""``copperloop gui [FILE]``: open the desktop app (``copperloop`` with no arguments does too).

The app lives in the ``app`` package; it is imported by name inside :func:`run`, so :mod:`optimizer`
never imports Qt (the import contract in ``pyproject.toml`` checks that) and ``copperloop --help``
stays fast.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

VIEWS = ("map", "tables", "results", "routes", "scenarios")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gui",
        help="open the desktop app (optionally render a view to a PNG and exit)",
        description="Open the CopperLoop desktop app, optionally with FILE. With --screenshot, open FILE, "
        "optionally solve it, render one view to a PNG file and exit (the README's pictures are made so).",
    )
    add = parser.add_argument
    add("file", nargs="?", type=Path, metavar="FILE", help="network or project workbook")
    add("--screenshot", type=Path, metavar="OUT.png", help="save a picture of the window and exit")
    add("--view", choices=VIEWS, default="map", help="view to show with --screenshot (default map)")
    add("--solve", action="store_true", help="solve the network before the screenshot")
    add("--lang", choices=("en", "zh"), help="interface language (default: saved choice or system)")
    add("--time-limit", type=float, metavar="S", help="solver time limit in seconds with --solve")


def run(args: argparse.Namespace) -> int:
    app_main = importlib.import_module("app.launch")
    status: int = app_main.run(
        getattr(args, "file", None),
        getattr(args, "screenshot", None),
        getattr(args, "view", "map"),
        getattr(args, "solve", False),
        getattr(args, "lang", None),
        getattr(args, "time_limit", None),
    )
    return status
