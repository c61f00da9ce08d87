"""Shared helpers of the installer tests: the repository root and the installer scripts as modules.

``installer/`` is not a package (its scripts run as ``python installer/<script>.py`` on a build
machine), so the tests load its scripts by path.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"


def load_script(name: str) -> ModuleType:
    """The module of ``installer/<name>.py``."""
    spec = importlib.util.spec_from_file_location(f"installer_{name}", INSTALLER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
