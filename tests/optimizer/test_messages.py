"""Problem messages in English and Chinese: one catalogue each, the same placeholders, every issue readable
in both, and ``copperloop validate --lang zh`` printing Chinese lines with the cell as it is in the file.

The English text of an issue is pinned by tests/optimizer/test_validation.py, test_cli.py and
tests/optimizer/io/*; here it is only checked to come from the catalogue.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from optimizer import cli
from optimizer.io import network_from_workbook, network_to_workbook, read_network
from optimizer.io.loading import load_network
from optimizer.issues import CellRef, Issue, Severity
from optimizer.messages import EN, ZH, Msg, Of, Params, column_expected, msg, placeholders, render
from optimizer.schema import PARAMETER_ROWS, SHEETS
from optimizer.validation import validate
from tests.optimizer.networks import small_network
from tests.optimizer.test_validation import CASES, cp, smelter

DATA = Path(__file__).resolve().parents[1] / "data"
BROKEN = sorted(DATA.glob("*.xlsx"))

_CJK = re.compile(r"[\u4e00-\u9fff]")
#: Three or more English words in a row: a sentence left untranslated.
_ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'-]*(?:[ ,]+[A-Za-z][A-Za-z'-]*){2,}")
#: Quoted values (ids, cell contents, headers): the planner's own words, never translated.
_QUOTED = re.compile(r'"[^"]*"')


def english_left_in(text: str) -> list[str]:
    """English phrases of three words or more in ``text``, quoted values aside."""
    return _ENGLISH_RUN.findall(_QUOTED.sub("", text))


def assert_reads_in_both(issue: Issue) -> None:
    """``issue`` has a code, its English is the catalogue's, and its Chinese is Chinese."""
    assert issue.code, f"no message code: {issue}"
    assert issue.text("en") == issue.message == render(issue.code, issue.params, "en")
    zh = issue.text("zh")
    assert _CJK.search(zh), f"no Chinese in {zh!r} (from {issue.message!r})"
    assert english_left_in(zh) == [], f"English left in {zh!r}"


def codes_in(params: Params) -> Iterator[str]:
    """The codes of the phrases nested in ``params``."""
    for _, value in params:
        phrase = value.subject if isinstance(value, Of) else value
        if isinstance(phrase, Msg):
            yield phrase.code
            yield from codes_in(phrase.params)


# --- the catalogue ---------------------------------------------------------------------------------


def test_every_english_message_has_a_chinese_one_with_the_same_placeholders() -> None:
    assert set(ZH) == set(EN)
    for code, english in EN.items():
        assert placeholders(ZH[code]) == placeholders(english), code


def test_chinese_templates_are_chinese() -> None:
    for code, template in ZH.items():
        words = re.sub(r"\{[^}]*\}", "", template)
        if re.search(r"[A-Za-z]{2,}", words) or _CJK.search(words):
            assert _CJK.search(words), f"{code}: {template!r}"
            assert english_left_in(words) == [] or "copperloop template" in words, f"{code}: {template!r}"


def test_column_expectations_match_the_schema_in_english() -> None:
    for col in [c for s in SHEETS for c in s.columns] + list(PARAMETER_ROWS):
        expected = column_expected(col)
        assert expected.render("en") == col.expected()
        assert col.header_zh in expected.render("zh")


def test_unknown_message_code_is_refused() -> None:
    with pytest.raises(KeyError):
        msg("no.such.message")


# --- issues ----------------------------------------------------------------------------------------


def test_english_display_is_str_and_an_issue_without_code_stays_english() -> None:
    plain = Issue(Severity.WARNING, "something odd", cell=CellRef("Supply", 3, "C"))
    assert plain.display("en") == str(plain) == "warning: Supply!C3: something odd"
    assert plain.text("zh") == "something odd"
    assert plain.display("zh") == "警告：Supply!C3: something odd"


def test_issues_with_params_are_hashable_picklable_and_keep_their_code_when_located() -> None:
    net = small_network()
    issues = validate(net.replace(parameters=replace(net.parameters, circuity_factor=0.9)))
    assert issues
    for issue in issues:
        hash(issue)
        assert pickle.loads(pickle.dumps(issue)) == issue
        located = issue.located(CellRef("参数", 4, "B"))
        assert (located.code, located.params) == (issue.code, issue.params)
        assert located.display("zh").startswith("警告：参数!B4: ")


#: Every damage of test_validation.py, and the few wrong types a workbook cannot produce but a caller can.
DAMAGES = {
    **{case: spec[0] for case, spec in CASES.items()},
    "text for a latitude": cp(0, lat="north"),
    "half a visit per week": cp(0, visits_per_week=2.5),
    "smelter id used by the dismantling site": smelter(0, id="DS-1"),
    "smelter id used by the sorting center": smelter(0, id="SC-1"),
}


@pytest.mark.parametrize("case", list(DAMAGES), ids=list(DAMAGES))
def test_every_validation_issue_reads_in_both_languages(case: str) -> None:
    issues = validate(DAMAGES[case](small_network()))
    assert issues
    for issue in issues:
        assert_reads_in_both(issue)


def test_validation_covers_every_validation_message() -> None:
    seen: set[str] = set()
    for mutate in DAMAGES.values():
        for issue in validate(mutate(small_network())):
            seen |= {issue.code, *codes_in(issue.params)}
    validation_codes = {
        c for c in EN
        if c.split(".")[0] in {
            "subject", "noun", "expect", "note", "value", "network", "id", "not_site", "assigned", "supply",
            "site", "yield", "smelter", "vehicle", "distance", "reach", "text", "far", "growth",
        }
    } - {"subject.site"}  # a site of neither kind
    assert validation_codes - seen == set()


# --- the workbook reader ---------------------------------------------------------------------------


Damage = Callable[[openpyxl.Workbook], object]


def _damaged(change: Damage) -> list[Issue]:
    wb = network_to_workbook(small_network())
    change(wb)
    return network_from_workbook(wb).issues


def _set(sheet: str, coordinate: str, value: object) -> Damage:
    def change(wb: openpyxl.Workbook) -> None:
        wb[sheet][coordinate] = value

    return change


def _retitle(old: str, new: str) -> Damage:
    def change(wb: openpyxl.Workbook) -> None:
        wb[old].title = new

    return change


def _copy_sheet(title: str, copy_title: str) -> Damage:
    def change(wb: openpyxl.Workbook) -> None:
        wb.copy_worksheet(wb[title]).title = copy_title

    return change


def _delete_parameter_row(wb: openpyxl.Workbook) -> None:
    wb["Parameters"].delete_rows(3)


def _only_foreign_sheets(wb: openpyxl.Workbook) -> None:
    for ws in wb.worksheets[1:]:
        wb.remove(ws)
    wb.worksheets[0].title = "Notes"


#: (damage, message code it must give)
READER_CASES: dict[str, tuple[Damage, str]] = {
    "blank required cell": (_set("CollectionPoints", "C2", None), "cell.blank"),
    "date in a number column": (_set("Supply", "C2", date(2024, 1, 1)), "cell.date"),
    "text in a number column": (_set("Supply", "C2", "lots"), "cell.not_number"),
    "yes in a number column": (_set("Supply", "C2", True), "cell.yes_no_not_number"),
    "percentage outside a fraction column": (_set("Supply", "C2", "85%"), "cell.percentage"),
    "half a truck": (_set("VehicleTypes", "H2", 2.5), "cell.not_whole"),
    "unknown status": (_set("SortingCenters", "F2", "maybe"), "cell.not_allowed"),
    "yes/no as an id": (_set("Grades", "A2", True), "cell.yes_no"),
    "unevaluated formula": (_set("Grades", "D2", "=0.5+0.4"), "cell.formula_unevaluated"),
    "misspelled sheet": (_retitle("Distances", "Distance"), "sheet.near_miss"),
    "second sheet": (_copy_sheet("Smelters", "冶炼厂"), "sheet.second"),
    "missing required sheet": (lambda wb: wb.remove(wb["Smelters"]), "sheet.missing"),
    "no CopperLoop sheets": (_only_foreign_sheets, "sheet.none"),
    "unknown column": (_set("Grades", "H1", "Colour"), "column.unknown"),
    "column twice": (_set("Grades", "H1", "Copper content"), "column.twice"),
    "missing required column": (_set("Grades", "D1", None), "column.missing"),
    "unknown parent": (_set("CapacityModules", "A2", "DS-9"), "parent.unknown"),
    "unknown supply parent": (_set("Supply", "A2", "CP-9"), "parent.unknown"),
    "no parameters sheet": (lambda wb: wb.remove(wb["Parameters"]), "parameters.no_sheet"),
    "parameter row missing": (_delete_parameter_row, "parameters.missing"),
    "parameter with no name": (_set("Parameters", "B40", 5), "parameters.nameless"),
    "unknown parameter": (_set("Parameters", "A40", "Colour"), "parameters.unknown"),
    "parameter again": (_set("Parameters", "A40", "Copper price"), "parameters.again"),
    "parameter not a number": (_set("Parameters", "B3", "lots"), "cell.not_number"),
    "parameter formula": (_set("Parameters", "B3", "=1+1"), "parameters.formula"),
    "no value column": (_set("Parameters", "B1", None), "parameters.no_value_column"),
}


@pytest.mark.parametrize("case", list(READER_CASES), ids=list(READER_CASES))
def test_every_reader_issue_reads_in_both_languages(case: str) -> None:
    damage, code = READER_CASES[case]
    issues = _damaged(damage)
    assert issues
    for issue in issues:
        assert_reads_in_both(issue)
    if code:
        assert code in {i.code for i in issues}, [str(i) for i in issues]


@pytest.mark.parametrize(
    "name, content",
    [
        ("empty.xlsx", b""),
        ("text.xlsx", b"id,lat,lon\nCP-1,30,120\n"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le")),
    ],
)
def test_unreadable_files_read_in_both_languages(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    [issue] = read_network(path).issues
    assert_reads_in_both(issue)
    assert issue.text("zh").startswith(f"{name}：")


def test_missing_file_and_folder_read_in_both_languages(tmp_path: Path) -> None:
    for path in (tmp_path / "nowhere.xlsx", tmp_path):
        [issue] = read_network(path).issues
        assert_reads_in_both(issue)


# --- exact Chinese -----------------------------------------------------------------------------------


def _zh_lines(path: Path) -> list[str]:
    return [issue.display("zh") for issue in load_network(path).issues]


def test_exact_chinese_of_a_range_a_type_error_and_a_warning() -> None:
    assert _zh_lines(DATA / "negative_supply.xlsx") == [
        'Supply!C5: 回收点 "CP-2" 的等级 "NO2" 供应量为 -5 吨/年；应 >= 0'
    ]
    assert _zh_lines(DATA / "latitude_out_of_range.xlsx") == [
        'CollectionPoints!C3: 回收点 "CP-2" 的纬度为 95.2；应在 -90 到 90 之间'
    ]
    assert _zh_lines(DATA / "text_in_number_column.xlsx") == [
        'Supply!C2: "lots" 不是数字；应为供应量（>= 0 的数字，单位：吨/年）'
    ]
    assert _zh_lines(DATA / "time_window_reversed.xlsx") == [
        'CollectionPoints!H2: 回收点 "CP-1" 的关门时间为 8；应晚于开门时间 17'
    ]
    assert (
        '警告：Smelters!G2: 冶炼厂 "SM-1" 不接收任何等级；至少应接收一个等级，否则它不会收购任何废料'
        in _zh_lines(DATA / "no_smelter_accepts_any_grade.xlsx")
    )


def test_exact_chinese_of_nested_subjects() -> None:
    net = small_network()
    site = net.sites[0]
    broken = net.replace(sites=(replace(site, modules=(site.modules[0], site.modules[0])), *net.sites[1:]))
    [issue] = [i for i in validate(broken) if i.entity == "capacity_module"]
    assert issue.text("zh") == (
        '拆解厂 "DS-1" 的产能模块编号 "S" 被使用了 2 次；每个拆解厂 "DS-1" 的产能模块应有自己的编号'
    )
    assert issue.message == (
        'capacity module of dismantling site "DS-1" id "S" is used 2 times; expected each capacity module of '
        'dismantling site "DS-1" to have its own id'
    )


def test_exact_chinese_of_a_yield_and_the_parameters() -> None:
    net = small_network()
    sorter = net.sites[1]
    yields = (replace(sorter.yields[0], fraction=1.5), sorter.yields[1])
    broken = net.replace(
        sites=(net.sites[0], replace(sorter, yields=yields)),
        parameters=replace(net.parameters, circuity_factor=0.8),
    )
    texts = {i.field: i.text("zh") for i in validate(broken)}
    assert texts["fraction"] == '分拣中心 "SC-1" 从 "NO2" 到 "BB" 的产出率为 1.5；应在 0 到 1 之间'
    assert texts["circuity_factor"] == "参数的绕行系数为 0.8；应 >= 1（道路不会比直线更短）"


# --- the command line --------------------------------------------------------------------------------


def _validate(capsys: pytest.CaptureFixture[str], lang: str, path: Path) -> list[str]:
    cli.main(["validate", "--lang", lang, str(path)])
    out, err = capsys.readouterr()
    assert err == ""
    return out.splitlines()


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_validate_in_chinese_prints_every_broken_workbook_in_chinese(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    english = _validate(capsys, "en", path)
    chinese = _validate(capsys, "zh", path)
    assert len(chinese) == len(english) >= 2
    for en_line, zh_line in zip(english[:-1], chinese[:-1], strict=True):
        # the cell prefix ("Supply!C5: ") is the same in both: the sheet as it is named in the file
        prefix = re.match(r"(warning: )?([^ :]+![A-Z]+\d+: )?", en_line)
        assert prefix is not None
        if prefix.group(1):
            assert zh_line.startswith("警告：")
        if prefix.group(2):
            assert prefix.group(2) in zh_line
        assert _CJK.search(zh_line), zh_line
        assert english_left_in(zh_line) == [], zh_line
    assert _CJK.search(chinese[-1])
