"""``--size WIDTHxHEIGHT``: one parser for ``copperloop gui`` and ``python -m app``, the same answers."""

from __future__ import annotations

import argparse

import pytest

from optimizer import parse_window_size
from optimizer.commands import gui


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="copperloop")
    gui.register(parser.add_subparsers(dest="command"))
    return parser


@pytest.mark.parametrize(
    ("text", "size"), [("1366x768", (1366, 768)), ("1600X1000", (1600, 1000)), ("320x240", (320, 240))]
)
def test_a_size_reads_as_width_and_height(text: str, size: tuple[int, int]) -> None:
    assert parse_window_size(text) == size
    assert _gui_parser().parse_args(["gui", "--size", text]).size == size


@pytest.mark.parametrize("text", ["big", "1366", "1366x", "x768", "319x768", "1366x239", "8001x768", "1.5x2"])
def test_anything_else_says_what_was_expected(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=r"expected WIDTHxHEIGHT in pixels, e\.g\. 1366x768"):
        parse_window_size(text)
    with pytest.raises(SystemExit) as exit_:
        _gui_parser().parse_args(["gui", "--size", text])
    assert exit_.value.code == 2
    assert f'"{text}": expected WIDTHxHEIGHT' in capsys.readouterr().err
