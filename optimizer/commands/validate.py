"""``copperloop validate FILE``: list every problem in a workbook, one located line each."""

from __future__ import annotations

import argparse
from pathlib import Path

from optimizer.commands import CommandError, add_lang_argument
from optimizer.issues import Issue


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a network workbook and list every problem",
        description="Check a network workbook and list every problem, one line each, with its cell. "
        "Exit status: 0 when the network can be planned with (warnings allowed), 2 when it has errors.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the network workbook (.xlsx)")
    add_lang_argument(parser, "the problem lines and the summary")


def run(args: argparse.Namespace) -> int:
    from optimizer.io.loading import count_issues, has_errors, load_network

    path = require_file(args.file)
    result = load_network(path)
    print_issues(result.issues, args.lang)
    errors, warnings = count_issues(result.issues)
    print(summary(path, errors, warnings, args.lang))
    return 2 if has_errors(result) else 0


def require_file(path: Path) -> Path:
    """``path`` if it is an existing file, else a :class:`CommandError` saying what is wrong."""
    if not path.exists():
        raise CommandError(f'"{path}": file not found')
    if path.is_dir():
        raise CommandError(f'"{path}": is a folder, not a workbook')
    return path


def summary(path: Path, errors: int, warnings: int, lang: str = "en") -> str:
    """``net.xlsx: 2 errors, 1 warning`` (or ``... is valid`` when there are no errors)."""
    if lang == "zh":
        counts = f"{errors} 个错误，{warnings} 个警告"
        return f"{path.name}：{counts}" if errors else f"{path.name}：有效（{counts}）"
    counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    return f"{path.name}: {counts}" if errors else f"{path.name} is valid ({counts})"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def print_issues(issues: list[Issue], lang: str = "en") -> None:
    """Print ``issues`` one per line in ``lang``, errors first (what blocks planning); each group keeps
    sheet order. The cell prefix names the sheet as it is written in the file, whatever the language."""
    for issue in sorted(issues, key=lambda i: not i.is_error):
        print(issue.display(lang))
