"""What the app remembers between runs: language, recent files, first run, and the recovery file.

Stored with ``QSettings`` in the user's normal place. ``COPPERLOOP_CONFIG_DIR`` moves everything (an
INI file and the recovery folder) elsewhere, which tests and portable installs use so they never touch
a user's real settings.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QStandardPaths

MAX_RECENT = 8


def config_dir() -> Path:
    override = os.environ.get("COPPERLOOP_CONFIG_DIR")
    if override:
        folder = Path(override)
    else:
        folder = (
            Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
            / "CopperLoop"
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Settings:
    """Typed access to the app's stored settings."""

    def __init__(self) -> None:
        if os.environ.get("COPPERLOOP_CONFIG_DIR"):
            self._q = QSettings(str(config_dir() / "copperloop.ini"), QSettings.Format.IniFormat)
        else:
            self._q = QSettings("CopperLoop", "CopperLoop")

    def _get(self, key: str, default: Any = None) -> Any:
        return self._q.value(key, default)

    # ---- language ------------------------------------------------------------------------------
    @property
    def language(self) -> str | None:
        value = self._get("language")
        return str(value) if value in ("en", "zh") else None

    @language.setter
    def language(self, lang: str) -> None:
        self._q.setValue("language", lang)

    # ---- first run -----------------------------------------------------------------------------
    @property
    def first_run_done(self) -> bool:
        return str(self._get("first_run_done", "false")).lower() == "true"

    def mark_first_run_done(self) -> None:
        self._q.setValue("first_run_done", "true")

    # ---- recent files --------------------------------------------------------------------------
    @property
    def recent_files(self) -> list[str]:
        raw = self._get("recent_files", "[]")
        try:
            items = json.loads(raw) if isinstance(raw, str) else list(raw or [])
        except ValueError:
            items = []
        return [str(p) for p in items][:MAX_RECENT]

    def add_recent(self, path: str | Path) -> list[str]:
        p = str(Path(path).resolve())
        items = [p] + [x for x in self.recent_files if x != p]
        self._q.setValue("recent_files", json.dumps(items[:MAX_RECENT]))
        return items[:MAX_RECENT]

    def clear_recent(self) -> None:
        self._q.setValue("recent_files", "[]")

    # ---- window --------------------------------------------------------------------------------
    def save_geometry(self, data: Any) -> None:
        self._q.setValue("window_geometry", data)

    def geometry(self) -> Any:
        return self._get("window_geometry")

    def sync(self) -> None:
        self._q.sync()


class Recovery:
    """The autosave file offered back after a crash: a project workbook plus a note of where it came from."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or (config_dir() / "recovery")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.workbook = self.folder / "recovery.xlsx"
        self.meta = self.folder / "recovery.json"

    def exists(self) -> bool:
        return self.workbook.exists() and self.meta.exists()

    def write_meta(self, original: Path | None) -> None:
        self.meta.write_text(
            json.dumps({"original": str(original) if original else None, "saved_at": time.time()}),
            encoding="utf-8",
        )

    def info(self) -> tuple[str | None, float]:
        """(original path, time of the autosave) of the recovery file."""
        try:
            data = json.loads(self.meta.read_text(encoding="utf-8"))
            return data.get("original"), float(data.get("saved_at", 0.0))
        except (OSError, ValueError):
            return None, 0.0

    def discard(self) -> None:
        for p in (self.workbook, self.meta, self.workbook.with_name("recovery.bak.xlsx")):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()
