"""The sample networks for the plan-report tests, and how each is solved there.

A sample comes from its workbook through the conftest fixture (``teaching_network`` ...) or, while the
workbooks are not in the tree, is built by ``sample_networks/build_samples.py`` itself.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from optimizer.design.options import SolveOptions
from optimizer.model import Network

SAMPLE_DIR = Path(__file__).resolve().parents[3] / "sample_networks"

#: key -> (conftest fixture, workbook, solve options: short limits; the national one on each point's
#: nearest destination and a 5 % gap, a few seconds).
SAMPLES = {
    "teaching": ("teaching_network", "teaching.xlsx", SolveOptions(time_limit_s=30, mip_gap=0.01)),
    "yangtze": ("yangtze_network", "yangtze_delta.xlsx", SolveOptions(time_limit_s=30, mip_gap=0.02)),
    "national": (
        "national_network",
        "china_national.xlsx",
        SolveOptions(time_limit_s=30, mip_gap=0.05, k_nearest=1),
    ),
}


def sample_network(request: pytest.FixtureRequest, key: str) -> Network:
    """The sample ``key`` of :data:`SAMPLES`."""
    fixture, filename, _options = SAMPLES[key]
    if (SAMPLE_DIR / filename).exists():
        network = request.getfixturevalue(fixture)
        assert isinstance(network, Network)
        return network
    spec = importlib.util.spec_from_file_location("build_samples", SAMPLE_DIR / "build_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_samples", module)  # its dataclasses look their module up by name
    spec.loader.exec_module(module)
    built = module.SAMPLES[filename]()
    assert isinstance(built, Network)
    return built
