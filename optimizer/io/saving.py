"""Replacing a workbook on disk in one step, with the permissions a person expects and no litter.

Every workbook CopperLoop saves (a network, a project, a template, a plan report, a routes workbook) is
written to a temporary file beside the target and moved over it, so a crash or a kill never leaves half
a file. Two things make that safe to live with:

* **Permissions.** The temporary file is created the way ``open()`` creates a file, so the saved
  workbook gets the mode the user's umask gives (0644 under the usual 022), not ``mkstemp``'s 0600
  that hides a shared report from colleagues; replacing an existing file keeps that file's mode.
* **Litter.** A save killed half-way leaves its temporary file, ``.<stem>.<pid>-<random>.tmp.xlsx``.
  The next save of the same file removes the ones whose process is gone, and any (also the older
  ``mkstemp`` names, ``.<stem>.XXXXXXXX.tmp.xlsx``) untouched for :data:`STALE_AFTER_S`.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Callable
from pathlib import Path

#: A temporary file not written to for this long belongs to no live save (a save writes it within seconds).
STALE_AFTER_S = 300.0
_SUFFIX = ".tmp.xlsx"


def backup_path(path: str | Path) -> Path:
    """Where a save keeps the previous version of ``path``: ``<stem>.bak.xlsx``."""
    p = Path(path)
    return p.with_name(f"{p.stem}.bak.xlsx")


def replace_file(target: Path, write: Callable[[Path], None]) -> None:
    """Write ``target`` through ``write(temporary path)`` and move the result over it in one step.

    An existing ``target`` is first copied to :func:`backup_path`; stale temporary files of earlier,
    killed saves of ``target`` are removed first.

    Raises
    ------
    OSError
        The folder is not writable, the disk is full, or (PermissionError) the file is open in Excel.
    """
    remove_stale_temporaries(target)
    tmp = _create_temporary(target)
    try:
        write(tmp)
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        if target.exists():
            shutil.copy2(target, backup_path(target))
            _copy_mode(target, tmp)
        try:
            os.replace(tmp, target)
        except PermissionError as exc:  # on Windows: the file is open in Excel
            raise PermissionError(
                exc.errno,
                f"cannot replace {target.name}; is it open in Excel? Close it and save again",
                str(target),
            ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _create_temporary(target: Path) -> Path:
    """A new, empty temporary file beside ``target``, created as ``open()`` creates a file: mode 0666
    less the umask (the kernel applies the umask; reading it would mean changing it)."""
    for _attempt in range(100):
        tmp = target.with_name(f".{target.stem}.{os.getpid()}-{secrets.token_hex(4)}{_SUFFIX}")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return tmp
    raise FileExistsError(f"cannot create a temporary file beside {target}")


def _copy_mode(target: Path, tmp: Path) -> None:
    """Give the written ``tmp`` the mode of the ``target`` it replaces (after writing, so that a
    read-only target does not stop the write)."""
    if os.name == "posix":
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))


def temporary_pattern(target: Path) -> re.Pattern[str]:
    """Names of the temporary files of saves of ``target`` (this module's and ``mkstemp``'s); group 1
    is the saving process's id when the name has one."""
    return re.compile(rf"^\.{re.escape(target.stem)}\.(?:(\d+)-)?[A-Za-z0-9_]+{re.escape(_SUFFIX)}$")


def remove_stale_temporaries(target: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files that killed saves of ``target`` left; the removed paths.

    A file is stale when the process named in it is no longer running, or when it was not written to
    for :data:`STALE_AFTER_S`. Files of running saves, and any file this cannot judge or remove, stay.
    """
    pattern = temporary_pattern(target)
    folder = target.parent
    moment = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        found = pattern.match(entry.name)
        if found is None:
            continue
        try:
            age = moment - entry.stat(follow_symlinks=False).st_mtime
            if not entry.is_file(follow_symlinks=False):
                continue
            pid = int(found.group(1)) if found.group(1) else None
            if age > STALE_AFTER_S or (pid is not None and not _running(pid)):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except (OSError, ValueError):
            continue  # another save removed it meanwhile, or it is not ours to remove
    return removed


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists. Only asked on POSIX: Windows' ``os.kill`` would end the process,
    so there a temporary file is judged by its age alone."""
    if os.name != "posix" or pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OverflowError:
        return False  # an id no process can have
    except PermissionError:
        return True  # a process of another user
    return True
