"""Saving keeps the permissions a person expects and cleans up after killed saves."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from optimizer.io import write_network
from optimizer.io.saving import STALE_AFTER_S, remove_stale_temporaries
from tests.optimizer.io.workbooks import small_network

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process umask for one test, then restore it."""
    previous = os.umask(0o022)
    os.umask(previous)

    def set_mask(mask: int) -> None:
        os.umask(mask)

    yield set_mask
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_workbook_gets_the_mode_the_umask_gives(
    tmp_path: Path, umask: Callable[[int], None], mask: int, expected: int
) -> None:
    umask(mask)
    path = tmp_path / "net.xlsx"
    write_network(small_network(), path)
    assert _mode(path) == expected


@posix_only
@pytest.mark.parametrize("mode", [0o640, 0o444])
def test_replacing_a_workbook_keeps_its_mode(tmp_path: Path, umask: Callable[[int], None], mode: int) -> None:
    umask(0o022)
    path = tmp_path / "net.xlsx"
    write_network(small_network(), path)
    path.chmod(mode)
    write_network(small_network(), path)
    assert _mode(path) == mode
    assert _mode(tmp_path / "net.bak.xlsx") == mode


def _dead_pid() -> int:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                           text=True, check=True)
    return int(child.stdout)


def test_the_next_save_removes_what_killed_saves_left(tmp_path: Path) -> None:
    old = time.time() - STALE_AFTER_S - 60
    names = {
        "old_mkstemp": ".net.k3j_x9ab.tmp.xlsx",  # the name mkstemp gave before; untouched for long
        "dead_process": f".net.{_dead_pid()}-0a1b2c3d.tmp.xlsx",
        "fresh_mkstemp": ".net.q8w7e6r5.tmp.xlsx",  # may belong to a save running now: kept
        "live_process": f".net.{os.getppid()}-deadbeef.tmp.xlsx",
        "other_file": ".net.v2.k3j_x9ab.tmp.xlsx",  # a temporary of net.v2.xlsx, not of net.xlsx
        "not_ours": ".net.xlsx.swp",
    }
    for key, name in names.items():
        (tmp_path / name).write_bytes(b"partial")
        if key in ("old_mkstemp", "other_file"):
            os.utime(tmp_path / name, (old, old))
    write_network(small_network(), tmp_path / "net.xlsx")
    left = {p.name for p in tmp_path.iterdir()}
    gone = {k for k, n in names.items() if n not in left}
    expected_gone = {"old_mkstemp"} | ({"dead_process"} if os.name == "posix" else set())
    assert gone == expected_gone
    assert "net.xlsx" in left
    assert not [n for n in left if n.endswith(".tmp.xlsx") and n not in names.values()]


def test_cleaning_never_stops_a_save(tmp_path: Path) -> None:
    (tmp_path / ".net.abcdefgh.tmp.xlsx").mkdir()  # a folder with a temporary's name is left alone
    assert remove_stale_temporaries(tmp_path / "net.xlsx", now=time.time() + 10 * STALE_AFTER_S) == []
    assert remove_stale_temporaries(tmp_path / "missing" / "net.xlsx") == []


_KILLED_SAVE = """
import sys, time
from pathlib import Path
from optimizer.io.saving import replace_file

def write(tmp: Path) -> None:
    tmp.write_bytes(b"PK half a workbook")
    print(tmp.name, flush=True)
    time.sleep(60)  # killed here, in the middle of the save

replace_file(Path(sys.argv[1]), write)
"""


@posix_only
def test_a_save_killed_half_way_leaves_the_file_and_the_next_save_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "net.xlsx"
    write_network(small_network(), path)
    before = path.read_bytes()
    root = Path(__file__).resolve().parents[3]
    command = [sys.executable, "-c", _KILLED_SAVE, str(path)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=root)
    assert child.stdout is not None
    temporary = child.stdout.readline().strip()
    assert temporary.startswith(".net.") and temporary.endswith(".tmp.xlsx"), temporary
    child.kill()
    child.wait()
    assert (tmp_path / temporary).exists()  # the litter a killed save leaves
    assert path.read_bytes() == before  # and the file it did not replace
    write_network(small_network(), path)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp.xlsx")] == []
