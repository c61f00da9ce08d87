"""A subcommand with a bug, registered by tests/optimizer/test_cli.py to check the CLI's crash handling."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    subparsers.add_parser("crash", help="fail with a bug")


def run(args: argparse.Namespace) -> int:
    return {"planned": 1}["unplanned"]
