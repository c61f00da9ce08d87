"""The ``copperloop`` subcommands, one module each.

A command module exposes ``register(subparsers) -> None``, which adds its subparser, and
``run(args) -> int``, which does the work and returns the exit code; :mod:`optimizer.cli` lists the
modules. Command modules import heavy libraries (solvers, openpyxl) inside ``run`` so that
``copperloop --help`` stays fast.
"""

from __future__ import annotations

import argparse

#: Languages of messages and headers.
LANGUAGES = ("en", "zh")


class CommandError(Exception):
    """A problem the user can fix (a missing file, a refused overwrite).

    The CLI prints its message on one line, without a traceback, and exits with status 2.
    """


def add_lang_argument(parser: argparse.ArgumentParser, what: str = "messages and headers") -> None:
    """Add ``--lang en|zh`` to ``parser``."""
    parser.add_argument(
        "--lang", choices=LANGUAGES, default="en", help=f"language of {what} (default: en)"
    )


def add_client_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--client``: the plan report a client receives (no input sheets, no supplier prices)."""
    parser.add_argument(
        "--client",
        action="store_true",
        help="with -o: write the client edition of the report (no input sheets or supplier prices, "
        "flows per arc, collection per province; it does not re-import)",
    )


def edition(args: argparse.Namespace) -> str:
    """The report edition ``args`` ask for: "client" with ``--client``, else "full"."""
    return "client" if getattr(args, "client", False) else "full"


def tr(lang: str, en: str, zh: str) -> str:
    """``zh`` when ``lang`` is Chinese, else ``en``: enough for the few words the CLI prints."""
    return zh if lang == "zh" else en
