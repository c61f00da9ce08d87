"""The frozen app's entry point: the desktop app with no arguments, the ``copperloop`` CLI otherwise.

PyInstaller freezes this script (``installer/copperloop.spec``) into both ``CopperLoop`` (windowed: what
the Start menu and "Open with CopperLoop" start) and ``copperloop-cli`` (console: for ``selftest`` and
the other subcommands in a terminal). Both run :func:`optimizer.cli.main`, which opens the desktop app
when it is given no arguments.

Windows Explorer starts the app with a workbook's path as the only argument ("Open with CopperLoop",
a double click on an associated file); that path is not a subcommand, so it is passed to ``gui``. No
subcommand name ends in ``.xlsx``, so the two cannot be confused.
"""

from __future__ import annotations

import multiprocessing
import sys
from pathlib import Path


def explorer_arguments(argv: list[str]) -> list[str]:
    """``["gui", FILE]`` when ``argv`` is just a workbook to open, else ``argv`` unchanged."""
    if len(argv) == 1 and Path(argv[0]).suffix.lower() == ".xlsx" and not argv[0].startswith("-"):
        return ["gui", argv[0]]
    return argv


def main() -> int:
    # A frozen app re-runs this script in every child process multiprocessing starts (Windows spawn);
    # freeze_support() makes those children do the child's work instead of opening another window.
    multiprocessing.freeze_support()
    from optimizer.cli import main as cli_main

    argv = sys.argv[1:]
    if not argv:
        return cli_main()  # the desktop app
    return cli_main(explorer_arguments(argv))


if __name__ == "__main__":
    sys.exit(main())
