"""The streaming workbook writer Annex A uses, read back by openpyxl (as liiatools reads it)."""

from datetime import date, datetime

import openpyxl

from cairn.returns import xlsx


def test_a_workbook_reads_back_cell_for_cell(tmp_path):
    out = tmp_path / "a.xlsx"
    xlsx.write({"List 1": [["Child Unique ID", "Date", "Count", "Note"],
                           ["C1", date(2026, 3, 31), 3, "a < b & \"c\""],
                           ["C2", None, 0, " padded "]],
                "List 2": [["Only headings"]]}, out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["List 1", "List 2"]
    rows = [list(r) for r in wb["List 1"].iter_rows(values_only=True)]
    assert rows == [["Child Unique ID", "Date", "Count", "Note"],
                    ["C1", datetime(2026, 3, 31), 3, "a < b & \"c\""],
                    ["C2", None, 0, " padded "]]
    assert wb["List 1"]["B2"].number_format == "DD/MM/YYYY"
    assert [list(r) for r in wb["List 2"].iter_rows(values_only=True)] == [["Only headings"]]


def test_columns_past_z():
    assert [xlsx.column(n) for n in (0, 25, 26, 51, 52)] == ["A", "Z", "AA", "AZ", "BA"]
