"""Opening a network hands it to the window in slices, one event-loop turn each, so a national network
never freezes the window in one long pause: the document sends each signal in its own step, the job
runner steps a yielding ``on_done`` and counts the job as running until its last slice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer

from app.document import NetworkDocument
from app.jobs import Job, JobRunner
from app.main_window import MainWindow
from optimizer.model import Network
from tests.app.helpers import open_in


def test_load_steps_send_one_signal_a_step_with_the_document_already_new(
    qtbot: Any, tiny_network: Network
) -> None:
    doc = NetworkDocument()
    heard: list[str] = []
    for name in ("scenariosChanged", "networkChanged", "planChanged", "pathChanged"):
        getattr(doc, name).connect(lambda *_a, name=name: heard.append(name))
    steps = doc.load_steps(tiny_network, Path("tiny.xlsx"), [("High price", tiny_network)])
    assert next(steps) == "scenariosChanged"
    assert heard == ["scenariosChanged"]
    assert doc.network is tiny_network and [s.name for s in doc.scenarios] == ["Base", "High price"]
    assert list(steps) == ["networkChanged", "planChanged", "pathChanged"]
    assert heard == ["scenariosChanged", "networkChanged", "planChanged", "pathChanged"]


def test_a_yielding_on_done_runs_one_slice_a_turn_and_the_job_runs_until_the_last(qtbot: Any) -> None:
    runner = JobRunner()
    order: list[str] = []
    ticks = QTimer()
    ticks.setInterval(0)
    ticks.timeout.connect(lambda: order.append("turn") if order and order[-1] != "turn" else None)

    def done(result: Any) -> Any:
        for k in range(3):
            order.append(f"slice {k}: {result} busy={runner.busy}")
            yield k

    finished: list[str] = []
    runner.finished.connect(finished.append)
    ticks.start()
    try:
        assert runner.submit(Job("open", lambda progress, cancel: "net", done))
        qtbot.waitUntil(lambda: bool(finished), timeout=10_000)
    finally:
        ticks.stop()
        runner.shutdown()
    slices = [o for o in order if o.startswith("slice")]
    assert slices == [f"slice {k}: net busy=True" for k in range(3)]
    # the event loop turned between the slices (a 0 ms timer ran in between), and the job ended after
    # the last one
    between = order[order.index(slices[0]) : order.index(slices[-1]) + 1]
    assert between.count("turn") >= 2
    assert finished == ["open"] and not runner.busy


def test_opening_a_file_times_each_slice_and_shows_the_open_jobs_check(
    window: MainWindow, sample_dir: Path
) -> None:
    open_in(window, sample_dir / "teaching.xlsx")
    names = [name for name, _seconds in window.open_steps]
    assert names == [
        "memory",
        "load: scenariosChanged",
        "load: networkChanged",
        "load: planChanged",
        "load: pathChanged",
        "issues in the tables",
        "restore plans",
        "sweep, fit, status",
    ]
    assert all(seconds >= 0 for _name, seconds in window.open_steps)
    assert window.doc.path == sample_dir / "teaching.xlsx"
    # the tables show the open job's check of this network: no second check is waiting to run
    assert not window.tables_view._validate_timer.isActive()
    assert window.tables_view.issue_label.text()


def test_the_open_job_reads_a_project_without_qt(sample_dir: Path) -> None:
    """Files are read in the job process (no thread of the window's competes with the GUI thread for
    the interpreter lock), which imports no Qt for it: a fresh interpreter reads the teaching sample
    with its scenarios and check, and has not imported PySide6."""
    import subprocess
    import sys

    teaching = str(sample_dir / "teaching.xlsx")
    code = "\n".join(
        [
            "import sys",
            "from pathlib import Path",
            "from optimizer import CancelToken",
            "from app.child_jobs import open_project",
            f"opened = open_project(Path({teaching!r}), progress=lambda e: None, cancel=CancelToken())",
            "network, parsed = opened[0].network, opened[4]",
            "print(len(network.sites), parsed.fingerprints == (), 'PySide6' in sys.modules)",
        ]
    )
    root = Path(__file__).parents[2]
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    sites, no_prints, qt = run.stdout.split()[-3:]
    assert int(sites) > 0
    assert no_prints == "True", "a file without saved plans needs no fingerprints"
    assert qt == "False", "the job process reads a file without Qt"
