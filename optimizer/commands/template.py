"""``copperloop template OUT.xlsx``: write an empty network workbook to fill in, in English or Chinese."""

from __future__ import annotations

import argparse
from pathlib import Path

from optimizer.commands import CommandError, add_lang_argument
from optimizer.commands.outputs import OutputPath


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "template",
        help="write an empty network workbook to fill in",
        description="Write an empty network workbook with every sheet, header, unit and a note on each "
        "column, ready to fill in and import.",
    )
    parser.add_argument("out", action=OutputPath, metavar="OUT.xlsx", help="where to write the workbook")
    add_lang_argument(parser, "the sheet names, headers and notes")
    parser.add_argument("--force", action="store_true", help="overwrite OUT.xlsx if it exists")


def run(args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        raise CommandError(f'"{out}": expected a file name ending in .xlsx')
    if out.is_dir():
        raise CommandError(f'"{out}": is a folder')
    if out.exists() and not args.force:
        raise CommandError(f'"{out}" already exists; add --force to overwrite it')
    if not out.parent.is_dir():
        raise CommandError(f'"{out.parent}": folder not found')
    from optimizer.io.templates import write_template

    write_template(out, args.lang)
    print(f"wrote {out}" if args.lang == "en" else f"已写入 {out}")
    return 0
