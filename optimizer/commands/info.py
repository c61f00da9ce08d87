"""``copperloop info FILE``: what a network workbook holds, and how much copper it supplies per grade."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from optimizer.commands import add_lang_argument, tr
from optimizer.model import Network, ProcessingSite, SiteStatus


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "info",
        help="count what a network workbook holds and its supply per grade",
        description="Count the grades, collection points, sites, smelters and vehicle types in a network "
        "workbook, and total its annual supply per grade in tonnes of scrap and tonnes of copper.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the network workbook (.xlsx)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON instead of tables")
    add_lang_argument(parser, "the headers")


def run(args: argparse.Namespace) -> int:
    from optimizer.commands.validate import print_issues, require_file, summary
    from optimizer.io.loading import count_issues, load_network

    path = require_file(args.file)
    result = load_network(path)
    errors, warnings = count_issues(result.issues)
    if result.network is None:
        print_issues(result.issues, args.lang)
        print(summary(path, errors, warnings, args.lang))
        return 2
    facts = network_facts(result.network)
    if args.json:
        facts["file"] = str(path)
        facts["issues"] = {"errors": errors, "warnings": warnings}
        print(json.dumps(facts, ensure_ascii=False, indent=2))
    else:
        print(render(facts, path, args.lang))
    if errors:
        print(
            tr(
                args.lang,
                f"note: the workbook has {errors} error(s); run `copperloop validate {path}` to list them",
                f"注意：工作簿有 {errors} 个错误；运行 `copperloop validate {path}` 查看",
            ),
            file=sys.stderr,
        )
    return 0


def network_facts(network: Network) -> dict[str, Any]:
    """Counts and supply per grade, as plain data (what ``--json`` prints)."""
    supply_t = network.total_supply_t()
    supply_t_cu = network.total_supply_t_cu()
    grades: list[dict[str, Any]] = [
        {
            "id": g.id,
            "name_en": g.name_en,
            "name_zh": g.name_zh,
            "copper_content": g.copper_content,
            "supply_t_per_year": supply_t.get(g.id, 0.0),
            "supply_t_cu_per_year": supply_t_cu.get(g.id, 0.0),
        }
        for g in network.grades
    ]
    return {
        "name": network.name,
        "counts": {
            "grades": len(network.grades),
            "collection_points": len(network.collection_points),
            "dismantling_sites": len(network.dismantling_sites),
            "sorting_centers": len(network.sorting_centers),
            "smelters": len(network.smelters),
            "vehicle_types": len(network.vehicle_types),
        },
        "sites_by_status": {
            "dismantling_sites": _by_status(network.dismantling_sites),
            "sorting_centers": _by_status(network.sorting_centers),
        },
        "grades": grades,
        "total_supply_t_per_year": sum(supply_t.get(g.id, 0.0) for g in network.grades),
        "total_copper_t_cu_per_year": sum(supply_t_cu.get(g.id, 0.0) for g in network.grades),
    }


def _by_status(sites: Sequence[ProcessingSite]) -> dict[str, int]:
    return {status.value: sum(1 for s in sites if s.status is status) for status in SiteStatus}


_STATUS_ZH = {"existing": "现有", "candidate": "候选", "closed": "关闭"}


def render(facts: dict[str, Any], path: Path, lang: str = "en") -> str:
    """The text ``info`` prints: a count table, a supply table per grade and the copper total."""
    counts = facts["counts"]

    def with_status(kind: str) -> str:
        by_status = facts["sites_by_status"][kind]
        parts = [
            f"{n} {tr(lang, status, _STATUS_ZH[status])}" for status, n in by_status.items()
        ]
        if lang == "zh":
            return f"{counts[kind]}（{'，'.join(parts)}）"
        return f"{counts[kind]}  ({', '.join(parts)})"

    count_rows = [
        [tr(lang, "Grades", "废铜等级"), str(counts["grades"])],
        [tr(lang, "Collection points", "回收点"), str(counts["collection_points"])],
        [tr(lang, "Dismantling sites", "拆解厂"), with_status("dismantling_sites")],
        [tr(lang, "Sorting centers", "分拣中心"), with_status("sorting_centers")],
        [tr(lang, "Smelters", "冶炼厂"), str(counts["smelters"])],
        [tr(lang, "Vehicle types", "车型"), str(counts["vehicle_types"])],
    ]
    grade_rows = [
        [
            g["id"],
            (g["name_zh"] or g["name_en"]) if lang == "zh" else (g["name_en"] or g["name_zh"]),
            _percent(g["copper_content"]),
            _tonnes(g["supply_t_per_year"]),
            _tonnes(g["supply_t_cu_per_year"]),
        ]
        for g in facts["grades"]
    ]
    total_row = [
        tr(lang, "Total", "合计"), "", "",
        _tonnes(facts["total_supply_t_per_year"]), _tonnes(facts["total_copper_t_cu_per_year"]),
    ]
    header = [
        tr(lang, "Grade", "等级"),
        tr(lang, "Name", "名称"),
        tr(lang, "Cu content", "铜含量"),
        tr(lang, "Supply (t/yr)", "供应量（吨/年）"),
        tr(lang, "Copper (t Cu/yr)", "含铜量（吨铜/年）"),
    ]
    title = tr(lang, f'Network "{facts["name"]}" ({path.name})', f"网络“{facts['name']}”（{path.name}）")
    total = tr(
        lang,
        f"Total copper contained: {_tonnes(facts['total_copper_t_cu_per_year'])} t Cu/yr",
        f"含铜总量：{_tonnes(facts['total_copper_t_cu_per_year'])} 吨铜/年",
    )
    return "\n".join([
        title,
        "",
        *table(count_rows, align="ll"),
        "",
        *table([header, *grade_rows, total_row], align="llrrr", header=True),
        "",
        total,
    ])


def _percent(fraction: object) -> str:
    return f"{fraction * 100:.1f} %" if isinstance(fraction, int | float) else str(fraction)


def _tonnes(value: float) -> str:
    return f"{value:,.1f}"


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[list[str]], align: str, header: bool = False) -> list[str]:
    """Rows as aligned text lines; ``align`` has one ``l`` or ``r`` per column."""
    widths = [max(display_width(row[c]) for row in rows) for c in range(len(align))]
    lines = []
    for index, row in enumerate(rows):
        cells = []
        for cell, width, how in zip(row, widths, align, strict=True):
            pad = " " * (width - display_width(cell))
            cells.append(cell + pad if how == "l" else pad + cell)
        lines.append("  ".join(cells).rstrip())
        if header and index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
