"""CSV cells a spreadsheet will not run: a cell that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return is read by Excel and LibreOffice as a formula (OWASP "CSV
injection"), so citizen text such as ``=HYPERLINK("http://evil", "คลิก")`` would become a
live link or a DDE command on an officer's computer. Such a cell gets a leading
apostrophe: shown as text, the original still readable."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    # Leading spaces or full-width signs do not hide a formula from every spreadsheet.
    if text.lstrip(" ").startswith(FORMULA_STARTS) or text.startswith(("＝", "＋", "－", "＠")):
        return "'" + text
    return text


def safe_row(values: list[object]) -> list[str]:
    return [safe_cell(v) for v in values]
