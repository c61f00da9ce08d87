"""optimizer's public API: every name it lists resolves, and importing the package stays cheap."""

from __future__ import annotations

import subprocess
import sys

import optimizer


def test_every_public_name_resolves_to_an_object_of_its_module() -> None:
    missing = [name for name in optimizer.__all__ if getattr(optimizer, name, None) is None]
    assert missing == []
    assert optimizer.solve.__module__ == "optimizer.design.solve"
    assert optimizer.load_network.__module__ == "optimizer.io.loading"


def test_an_unknown_name_is_an_attribute_error() -> None:
    try:
        optimizer.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_importing_optimizer_loads_no_solver_or_excel_library() -> None:
    code = (
        "import sys, optimizer; from optimizer import Network, SolveOptions; "
        "print(sorted(m for m in ('pulp', 'highspy', 'openpyxl', 'ortools', 'pyvrp') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
