"""Jobs that write files from the current plan (run on the worker, on a snapshot)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.document import NetworkDocument
from optimizer.progress import CancelToken, ProgressEvent


def plan_export_job(doc: NetworkDocument, path: Path, lang: str) -> Callable[[Any, CancelToken], Path]:
    """A job writing the current scenario's plan to ``path`` as an Excel workbook."""
    plan = doc.plan
    if plan is None:
        raise ValueError("there is no plan to export")

    def work(progress: Any, _cancel: CancelToken) -> Path:
        from optimizer.io.plan_dump import write_plan_workbook

        progress(ProgressEvent("export", 0.1, path.name))
        write_plan_workbook(plan, path)
        progress(ProgressEvent("export", 1.0, path.name))
        return path

    return work
