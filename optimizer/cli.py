"""The ``copperloop`` command line: one subcommand per module in :mod:`optimizer.commands`.

To add a subcommand, write ``optimizer/commands/<name>.py`` with ``register(subparsers)`` and
``run(args) -> int`` and append its module name to :data:`COMMAND_MODULES`.

No traceback ever reaches the user. A problem the user can fix (a missing file, a refused overwrite,
bad arguments, an output folder that does not exist) prints one line and exits with status 2; a bug
prints one line naming a log file that holds the traceback and exits with status 1. Output paths
(declared with :class:`~optimizer.commands.outputs.OutputPath`) are checked before a command starts
its work, and a reader that leaves a pipe early (``| head``) is no error.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from optimizer.commands import CommandError
from optimizer.commands.outputs import check_outputs, silence_stdout

PROG = "copperloop"

#: Modules that each provide one subcommand, in the order ``--help`` lists them.
COMMAND_MODULES: list[str] = [
    "optimizer.commands.validate",
    "optimizer.commands.template",
    "optimizer.commands.info",
    "optimizer.commands.solve",
    "optimizer.commands.routes",
    "optimizer.commands.sweep",
    "optimizer.commands.compare",
    "optimizer.commands.gui",
    "optimizer.commands.selftest",
]

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="CopperLoop: plan scrap-copper recycling networks (sites, flows, collection routes).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        before = set(subparsers.choices)
        module.register(subparsers)
        # Bind each new subparser to its module's run(), so a command cannot forget to.
        for command in set(subparsers.choices) - before:
            subparsers.choices[command].set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``copperloop`` with ``argv`` (default: the process arguments) and return the exit status."""
    _tolerate_unencodable_output()
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exit_:  # argparse has printed usage or help already
            return exit_.code if isinstance(exit_.code, int) else EXIT_USER_ERROR
        run: Callable[[argparse.Namespace], int] | None = getattr(args, "_run", None)
        if run is None:
            if argv is None and len(sys.argv) <= 1:
                # `copperloop` typed alone opens the desktop app; main([]) from code still prints help.
                return int(importlib.import_module("optimizer.commands.gui").run(args))
            parser.print_help()
            return EXIT_OK
        check_outputs(args)
        return run(args)
    except CommandError as error:
        return _user_error(str(error))
    except BrokenPipeError:
        # `copperloop info x.xlsx | head`: the reader left, which is harmless; say nothing, and keep
        # Python's exit-time flush of stdout from failing too.
        silence_stdout()
        return EXIT_OK
    except OSError as error:
        return _user_error(_describe_os_error(error))
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        log = _write_crash_log(error, argv)
        print(
            f"{PROG}: internal error ({type(error).__name__}: {error}). This is a bug in CopperLoop; "
            f"the details are in {log}",
            file=sys.stderr,
        )
        return EXIT_BUG


def _user_error(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return EXIT_USER_ERROR


def _describe_os_error(error: OSError) -> str:
    """``cannot open "x.xlsx": file not found`` rather than ``[Errno 2] No such file or directory``."""
    reasons = {
        FileNotFoundError: "file or folder not found",
        PermissionError: "permission denied (is the file open in Excel?)",
        IsADirectoryError: "is a folder, not a file",
        NotADirectoryError: "a part of the path is not a folder",
        FileExistsError: "already exists",
    }
    reason = next((text for kind, text in reasons.items() if isinstance(error, kind)), None)
    reason = reason or error.strerror or str(error)
    if error.filename:
        return f'"{error.filename}": {reason}'
    return reason


def _write_crash_log(error: BaseException, argv: Sequence[str] | None) -> Path:
    """Write the traceback under the user's temp folder and return its path."""
    folder = Path(tempfile.gettempdir()) / "copperloop"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    arguments = list(sys.argv[1:] if argv is None else argv)
    path.write_text(
        f"copperloop {_version()}\npython {sys.version}\narguments: {arguments}\n\n"
        + "".join(traceback.format_exception(error)),
        encoding="utf-8",
    )
    return path


def _tolerate_unencodable_output() -> None:
    """Print '?' for characters the console cannot show (Chinese names on a cp1252 console)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _version() -> str:
    from optimizer.about import version  # also right in the frozen app, which has no package metadata

    return version()


if __name__ == "__main__":
    sys.exit(main())
