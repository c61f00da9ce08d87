"""Shared fixtures for the desktop-app tests: offscreen Qt, small hand-made networks, the samples.

``QT_QPA_PLATFORM`` must be set before any Qt module is imported, so it is set here at import time.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Settings, recent files and the recovery file go to a throwaway folder, never the user's own.
os.environ.setdefault(
    "COPPERLOOP_CONFIG_DIR",
    os.path.join(os.environ.get("TMPDIR", "/tmp"), f"copperloop-test-config-{os.getpid()}"),
)

import gc
import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from optimizer.model import (
    CapacityModule,
    CollectionPoint,
    Grade,
    Network,
    ProcessingSite,
    SiteKind,
    SiteStatus,
    Smelter,
    Supply,
    VehicleType,
    YieldEntry,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_networks"
ARTIFACTS = ROOT / "test-artifacts"
BROKEN = ROOT / "tests" / "data"
SAMPLE_NAMES = ("teaching.xlsx", "yangtze_delta.xlsx", "china_national.xlsx")


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the three sample workbooks.

    The committed ones in ``sample_networks/`` when present; otherwise they are built once per session
    with ``sample_networks/build_samples.py`` (the same code that makes the committed files).
    """
    if all((SAMPLES / name).exists() for name in SAMPLE_NAMES):
        return SAMPLES
    out = tmp_path_factory.mktemp("samples")
    spec = importlib.util.spec_from_file_location("build_samples", SAMPLES / "build_samples.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_samples"] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    module.main([str(out)])
    return out


@pytest.fixture(autouse=True)
def _unfreeze_objects() -> Iterator[None]:
    """Let the cycle collector see again what a window froze (``gc.freeze`` when it is built and after
    an open): in the app that is what lives as long as the window; here the next test's garbage."""
    yield
    gc.unfreeze()


@pytest.fixture(autouse=True)
def _no_modifier_left_held() -> Iterator[None]:
    """No test hands the next one a held Ctrl: QTest's keyClick with a modifier leaves the application's
    keyboard modifiers at it, and a later ``selectRow`` then adds to the selection. Tests release what
    they press (``ctrl_click`` in test_numbers_and_words); this releases what one forgot, with a real
    key release event to the widget that has the focus."""
    yield
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication) or app.keyboardModifiers() == Qt.KeyboardModifier.NoModifier:
        return
    target = app.focusWidget() or app.activeWindow()
    if target is not None:
        for key in (Qt.Key.Key_Control, Qt.Key.Key_Shift, Qt.Key.Key_Alt, Qt.Key.Key_Meta):
            QTest.keyRelease(target, key, Qt.KeyboardModifier.NoModifier)


@pytest.fixture
def window(qtbot: Any) -> Iterator[Any]:
    """A real main window (example network), closed without prompts at the end of the test."""
    from app.main_window import MainWindow

    win = MainWindow()  # not qtbot.addWidget: qtbot would close it before the clean-up below
    win.show()
    yield win
    win.runner.cancel()
    win.runner.wait_idle(30)
    win.doc.undo_stack.setClean()
    win.close()


@pytest.fixture
def tiny_network() -> Network:
    """Two collection points, one candidate dismantling site, one smelter: small enough to read."""
    grades = (
        Grade("No1", "No.1 copper", "1号铜", 0.99, 0.97),
        Grade("MOT", "Motors", "电机", 0.10),
    )
    cps = (
        CollectionPoint(
            "CP-01", "Yard A", 30.60, 114.30, "Hubei", (Supply("No1", 1000.0), Supply("MOT", 500.0))
        ),
        CollectionPoint("CP-02", "Yard B", 30.50, 114.10, "Hubei", (Supply("No1", 400.0),)),
    )
    sites = (
        ProcessingSite(
            "DS-01",
            "Dismantler",
            SiteKind.DISMANTLING,
            30.55,
            114.20,
            "Hubei",
            SiteStatus.CANDIDATE,
            (CapacityModule("S", 2000.0, 1e6),),
            50.0,
            5.0,
            (YieldEntry("No1", "No1", 1.0), YieldEntry("MOT", "No1", 0.1)),
        ),
    )
    smelters = (Smelter("SM-01", "Smelter", 30.20, 115.00, "Hubei", 10000.0, ("No1",)),)
    vehicles = (VehicleType("T5", "5 t truck", 5.0, 300.0, 3.0),)
    return Network("Tiny", grades, cps, sites, smelters, vehicles)
