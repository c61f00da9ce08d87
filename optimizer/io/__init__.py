"""The network workbook: read, check and write networks as Excel workbooks.

The work is split by job: :mod:`optimizer.io.safety` opens untrusted files, :mod:`optimizer.io.reader`
turns sheets into a :class:`~optimizer.model.Network` with located issues, :mod:`optimizer.io.writer`
writes one; all three follow :mod:`optimizer.schema`.
"""

from optimizer.io.loading import count_issues, has_errors, load_network
from optimizer.io.reader import ReadResult, SourceMap, network_from_workbook, read_network
from optimizer.io.safety import MAX_ROWS
from optimizer.io.writer import (
    add_network_sheets,
    backup_path,
    network_to_workbook,
    save_workbook,
    write_network,
)

__all__ = [
    "MAX_ROWS",
    "ReadResult",
    "SourceMap",
    "add_network_sheets",
    "backup_path",
    "count_issues",
    "has_errors",
    "load_network",
    "network_from_workbook",
    "network_to_workbook",
    "read_network",
    "save_workbook",
    "write_network",
]
