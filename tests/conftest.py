"""Session fixtures shared by every test: the three sample networks, loaded from their workbooks.

They are read through :func:`optimizer.io.loading.load_network` (the same read + validate path as the CLI
and the GUI's Open), once per test session, because reading the national workbook takes a moment and
the networks are immutable.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer.io.loading import has_errors, load_network
from optimizer.model import Network

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_networks"


def load_sample(filename: str) -> Network:
    """The network of ``sample_networks/<filename>``; fails the test with the issues when it has errors."""
    result = load_network(SAMPLE_DIR / filename)
    if has_errors(result) or result.network is None:
        pytest.fail(f"{filename} does not load cleanly: " + "; ".join(str(i) for i in result.issues))
    return result.network


@pytest.fixture(scope="session")
def teaching_network() -> Network:
    """12 yards around Taizhou, 2 dismantling + 3 sorting candidates, 2 smelters, 4 grades.

    Exists because its optimal plan can be worked out by hand (see sample_networks/README.md): tests
    can assert an exact optimum on realistic data, and trainers demo it.
    """
    return load_sample("teaching.xlsx")


@pytest.fixture(scope="session")
def yangtze_network() -> Network:
    """128 yards in Shanghai, Jiangsu, Zhejiang and Anhui, 16 sites, 5 buyers, 6 grades, 4 trucks.

    Exists as the mid-size regional case: existing sites with expansions, several vehicle types, road
    distance and freight overrides, blending at several buyers; solves in seconds.
    """
    return load_sample("yangtze_delta.xlsx")


@pytest.fixture(scope="session")
def national_network() -> Network:
    """About 700 yards in all of mainland China's prefectures, 50 sites, 11 buyers, 6 grades.

    Exists as the scale test for the solver, the map and the tables; too big for a quick optimal solve,
    so tests use it for loading, validation, distances and size limits, and benchmarks for speed.
    """
    return load_sample("china_national.xlsx")
