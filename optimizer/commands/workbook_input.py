"""The preamble every planning command shares: read the workbook, and stop with its errors listed."""

from __future__ import annotations

import sys
from pathlib import Path

from optimizer.commands import tr
from optimizer.model import Network


def load_for_planning(path: Path, lang: str, again_en: str, again_zh: str) -> Network | None:
    """The network of the workbook at ``path``, or ``None`` after printing every error it has.

    Errors go to standard output (one located line each, as ``copperloop validate`` prints them) and a
    closing line to standard error, e.g. ``net.xlsx: fix the errors above, then solve again``;
    ``again_en`` and ``again_zh`` are its last words ("solve again", "再求解"). The caller exits with
    status 2 on ``None``. Raises :class:`~optimizer.commands.CommandError` when the file is missing.
    """
    from optimizer.commands.validate import print_issues, require_file
    from optimizer.io.loading import has_errors, load_network

    result = load_network(require_file(path))
    if has_errors(result) or result.network is None:
        print_issues([i for i in result.issues if i.is_error], lang)
        print(
            tr(
                lang,
                f"{path.name}: fix the errors above, then {again_en}",
                f"{path.name}：请先修正上述错误{again_zh}",
            ),
            file=sys.stderr,
        )
        return None
    return result.network
