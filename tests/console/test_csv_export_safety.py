"""The CSV export never hands a spreadsheet a formula from citizen text."""

import csv
import io

import pytest

from console.csv_cells import safe_cell
from tests.cases.factories import officer, ticket

DANGEROUS = [
    '=HYPERLINK("http://evil.example","คลิก")',
    "+66812345678",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    " =1+1",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_a_formula_start_is_neutralised(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["โรงงานส่งกลิ่นเหม็น", "IDEE-2569-000001", "", "a=b", "5-3"])
def test_ordinary_text_is_kept_as_is(text):
    assert safe_cell(text) == text


def test_the_export_neutralises_citizen_text(console):
    with console.sessions.begin() as s:
        officer(s, "o", "PIO-CBI")
        for i, text in enumerate(DANGEROUS):
            ticket(s, description=text, subject_name="=cmd|' /C calc'!A0" if i == 0 else None)
    response = console.client.get("/api/tickets/export.csv", headers=console.login("o"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r["description"] for r in rows) == sorted("'" + t for t in DANGEROUS)
    assert any(r["subject_name"] == "'=cmd|' /C calc'!A0" for r in rows)
    for row in rows:
        assert not any(v.lstrip(" ").startswith(("=", "+", "-", "@", "\t")) for v in row.values()), row
