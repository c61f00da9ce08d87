"""Output files checked before any work is done, and printing that survives a closed pipe.

A solve may run for minutes; finding out only then that ``--json /missing/dir/p.json`` cannot be written
wastes them, and creating the missing folders behind the user's back (a typo at the root of the file
system) is worse. So every output option of every command is declared with :class:`OutputPath`, and
:func:`check_outputs` (called by :mod:`optimizer.cli` before a command runs) refuses, with a clear
message, a path that is a folder or whose folder does not exist or cannot be written. CopperLoop never
creates folders for an output.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from optimizer.commands import CommandError
from optimizer.messages import render

#: Where :class:`OutputPath` records the outputs given on the command line.
_RECORD = "_output_paths"


class OutputPath(argparse.Action):
    """``type=Path`` for an output file, recorded so that :func:`check_outputs` can check it early."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("type", Path)
        super().__init__(option_strings, dest, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        # (label, dest, path); the label says "--json" where there is one, the argument's name otherwise
        recorded = [r for r in getattr(namespace, _RECORD, []) if r[1] != self.dest]
        setattr(namespace, _RECORD, [*recorded, (option_string or self.dest, self.dest, values)])


def check_outputs(args: argparse.Namespace) -> None:
    """Raise :class:`CommandError` for the first output path of ``args`` that cannot be written."""
    lang = getattr(args, "lang", None) or "en"
    for label, _dest, path in getattr(args, _RECORD, []):
        problem = output_problem(Path(path), lang)
        if problem is not None:
            raise CommandError(f"{label} {problem}" if label.startswith("-") else problem)


def output_problem(path: Path, lang: str = "en") -> str | None:
    """Why a file cannot be written at ``path`` (without creating anything), or ``None``."""
    if path.is_dir():
        return render("cli.output_is_folder", (("path", str(path)),), lang)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        return render("cli.output_folder_missing", (("path", str(path)), ("folder", str(folder))), lang)
    if not folder.is_dir():
        return render("cli.output_parent_not_folder", (("path", str(path)), ("folder", str(folder))), lang)
    if not os.access(folder, os.W_OK | os.X_OK):
        return render("cli.output_folder_read_only", (("path", str(path)), ("folder", str(folder))), lang)
    return None


def print_out(text: str) -> None:
    """Print ``text`` on standard output; a reader that has gone (``| head -3``) is harmless.

    After a broken pipe, standard output is pointed at the null device, so later prints and Python's
    flush at exit do not fail either; the command goes on and returns its own exit status.
    """
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()


def silence_stdout() -> None:
    """Send standard output to the null device (the reader of the pipe has gone)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
