"""How long a plan file takes to read and write, and what reopening a project holding it costs the GUI.

    python benchmarks/plan_files.py PLAN.json [--network WORKBOOK] [--runs 3]

``PLAN.json`` is a plan as ``copperloop solve --json`` writes it (any version: a file written before plans
carried message codes reads too). Prints the median of ``--runs`` runs of ``Plan.from_json`` and
``Plan.to_json``. With ``--network`` (the workbook the plan was solved on) it also saves a project
workbook holding the network and the plan, opens it in the desktop app offscreen and prints the open
job's wall time and each step the GUI thread took (``MainWindow.open_steps``; "restore plans" is the
one that places the saved plans), and the plan's status line in Chinese.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _median_s(fn: object, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times), times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("--network", type=Path, help="the workbook the plan was solved on")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    from optimizer import Plan, plan_status_message

    text = args.plan.read_text(encoding="utf-8")
    print(f"{args.plan.name}: {len(text.encode()) / 1e6:.1f} MB; load average {os.getloadavg()[0]:.1f}")
    read_s, reads = _median_s(lambda: Plan.from_json(text), args.runs)
    plan = Plan.from_json(text)
    write_s, writes = _median_s(lambda: plan.to_json(indent=None), args.runs)
    print(f"  from_json median {read_s:.2f} s ({', '.join(f'{t:.2f}' for t in reads)})")
    print(f"  to_json   median {write_s:.2f} s ({', '.join(f'{t:.2f}' for t in writes)})")
    print(f"  status {plan.status.value}: {plan_status_message(plan).render('zh')}")
    if args.network is not None:
        _reopen(args.network, text)
    return 0


def _reopen(network_path: Path, text: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from optimizer import ProjectState, SavedPlan, load_network, network_fingerprint, write_project

    app = QApplication.instance() or QApplication([])
    from app.main_window import MainWindow

    network = load_network(network_path).network
    assert network is not None, f"{network_path} does not read"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "project.xlsx"
        saved = SavedPlan("Base", "plan", 0, text, network_fingerprint(network), "solve")
        write_project(path, network, [], base_name="Base", state=ProjectState((saved,), "Base"))
        window = MainWindow()
        window.show()
        started = time.perf_counter()
        assert window.open_path(path, ask=False)
        assert window.runner.wait_idle(600)
        print(f"  reopen: {time.perf_counter() - started:.2f} s wall; GUI-thread steps:")
        for step, seconds in window.open_steps:
            print(f"    {step}: {seconds:.3f} s")
        restored = window.doc.plan
        print(f"  restored: {restored.status.value if restored else 'nothing'}")
        window.doc.undo_stack.setClean()
        window.close()
    app.processEvents()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
