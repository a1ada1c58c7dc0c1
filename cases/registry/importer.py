"""Import the factory registry from a CSV in the shape of the DIW's open-data factory list.

``python -m cases.registry.importer FILE`` (``make import-registry FILE=...``). The import is
idempotent: the canonical registration number is the key, a re-import updates the row and
never adds a second one. A bad row is reported with its line number and the reason and is
skipped; the other rows are imported. The accepted columns and their Thai header names are
in docs/registry.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from cases.places import normalise_province
from cases.registry.models import Factory
from cases.registry.names import name_key
from cases.registry.numbers import THAI_DIGITS, RegistrationNumberError, canonical_registration_number

# Field -> accepted header names (Thai first, as the DIW publishes them; then English).
COLUMNS: dict[str, tuple[str, ...]] = {
    "registration_number": (
        "เลขทะเบียนโรงงาน",
        "ทะเบียนโรงงาน",
        "เลขทะเบียน",
        "เลขทะเบียนโรงงาน 14 หลัก",
        "registration_number",
    ),
    "name": ("ชื่อโรงงาน", "ชื่อผู้ประกอบกิจการ", "name"),
    "business": ("ประกอบกิจการ", "business"),
    "category_code": ("ลำดับประเภท", "ประเภทโรงงาน", "category_code"),
    "address": ("ที่ตั้ง", "ที่อยู่", "address"),
    "subdistrict": ("ตำบล", "ตำบล/แขวง", "แขวง", "subdistrict"),
    "district": ("อำเภอ", "อำเภอ/เขต", "เขต", "district"),
    "province": ("จังหวัด", "province"),
    "industrial_estate": ("นิคมอุตสาหกรรม", "industrial_estate"),
    "latitude": ("ละติจูด", "latitude", "lat"),
    "longitude": ("ลองจิจูด", "longitude", "lon", "lng"),
    "licence_state": ("สถานะ", "สถานะใบอนุญาต", "licence_state"),
}
REQUIRED = ("registration_number", "name", "province")

# Licence state as written in the list -> stored code.
LICENCE_STATES: dict[str, str] = {
    "ประกอบกิจการ": "active",
    "ดำเนินการ": "active",
    "ดำเนินกิจการ": "active",
    "ใช้งาน": "active",
    "active": "active",
    "หยุดประกอบกิจการชั่วคราว": "suspended",
    "หยุดประกอบกิจการ": "suspended",
    "หยุดชั่วคราว": "suspended",
    "พักใช้ใบอนุญาต": "suspended",
    "suspended": "suspended",
    "เลิกกิจการ": "closed",
    "เลิกประกอบกิจการ": "closed",
    "แจ้งเลิกกิจการ": "closed",
    "closed": "closed",
    "ถูกเพิกถอนใบอนุญาต": "revoked",
    "เพิกถอนใบอนุญาต": "revoked",
    "เพิกถอน": "revoked",
    "revoked": "revoked",
    "": "unknown",
}
LICENCE_LABELS_TH = {
    "active": "ประกอบกิจการ",
    "suspended": "หยุดประกอบกิจการชั่วคราว",
    "closed": "เลิกกิจการ",
    "revoked": "ถูกเพิกถอนใบอนุญาต",
    "unknown": "ไม่ทราบสถานะ",
}
# Thailand with a margin: a point outside is a typo or swapped coordinates.
LAT_RANGE, LON_RANGE = (5.0, 21.0), (97.0, 106.0)
BATCH = 1000


class RegistryFileError(ValueError):
    """The file as a whole cannot be read (encoding, missing columns)."""


@dataclass
class ImportReport:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    @property
    def imported(self) -> int:
        return self.inserted + self.updated + self.unchanged


class RowError(ValueError):
    pass


def _header_map(header: list[str]) -> dict[str, int]:
    wanted = {alias.strip().lower(): name for name, aliases in COLUMNS.items() for alias in aliases}
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        name = wanted.get(title.strip().lstrip("\ufeff").lower())
        if name and name not in found:
            found[name] = index
    missing = [n for n in REQUIRED if n not in found]
    if missing:
        names = ", ".join(f"{n} ({COLUMNS[n][0]})" for n in missing)
        raise RegistryFileError(f"missing required column(s): {names}")
    return found


def _coordinate(text: str, bounds: tuple[float, float], what: str) -> float | None:
    text = text.translate(THAI_DIGITS).strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise RowError(f"{what} is not a number: {text[:30]!r}") from None
    if not bounds[0] <= value <= bounds[1]:
        raise RowError(f"{what} {value} is outside Thailand ({bounds[0]}..{bounds[1]})")
    return value


def parse_row(cells: dict[str, str]) -> dict:
    """One CSV row (field -> text) as Factory column values, or RowError with the reason."""
    try:
        number = canonical_registration_number(cells.get("registration_number"))
    except RegistrationNumberError as error:
        raise RowError(str(error)) from None
    name = " ".join((cells.get("name") or "").split())
    if not name:
        raise RowError("factory name is empty")
    key = name_key(name)
    if not key:
        raise RowError("factory name has nothing but a legal form")
    province_text = (cells.get("province") or "").strip()
    province = normalise_province(province_text)
    if province is None:
        raise RowError(f"unknown province: {province_text[:40]!r}" if province_text else "province is empty")
    state_text = " ".join((cells.get("licence_state") or "").split())
    licence = LICENCE_STATES.get(state_text) or LICENCE_STATES.get(state_text.lower())
    if licence is None:
        raise RowError(f"unknown licence state: {state_text[:40]!r}")
    latitude = _coordinate(cells.get("latitude") or "", LAT_RANGE, "latitude")
    longitude = _coordinate(cells.get("longitude") or "", LON_RANGE, "longitude")
    if (latitude is None) != (longitude is None):
        raise RowError("latitude and longitude go together: one of them is missing")

    def text(name: str, limit: int) -> str | None:
        value = " ".join((cells.get(name) or "").split())
        return value[:limit] or None

    return {
        "registration_number": number,
        "name": name[:256],
        "name_key": key[:256],
        "business": text("business", 2000),
        "category_code": (text("category_code", 16) or "").translate(THAI_DIGITS) or None,
        "address": text("address", 512),
        "subdistrict": text("subdistrict", 64),
        "district": text("district", 64),
        "province": province,
        "industrial_estate": text("industrial_estate", 128),
        "latitude": latitude,
        "longitude": longitude,
        "licence_state": licence,
    }


def read_rows(stream: Iterable[str]) -> Iterator[tuple[int, dict | RowError]]:
    """(line, values or the row's error) for every data row; the header is line 1."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise RegistryFileError("the file is empty") from None
    columns = _header_map(header)
    line = reader.line_num + 1
    for cells in reader:
        if not any(c.strip() for c in cells):
            line = reader.line_num + 1
            continue
        values = {name: (cells[i] if i < len(cells) else "") for name, i in columns.items()}
        try:
            yield line, parse_row(values)
        except RowError as error:
            yield line, error
        line = reader.line_num + 1


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else TIS-620 / Windows-874 as older lists are saved."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp874")
        except UnicodeDecodeError:
            raise RegistryFileError("the file is neither UTF-8 nor TIS-620 text") from None


def import_rows(session: Session, rows: Iterable[tuple[int, dict | RowError]]) -> ImportReport:
    """Upsert the good rows by registration number; the caller commits."""
    report = ImportReport()
    seen: dict = {}
    batch: list = []
    for line, row in rows:
        if isinstance(row, RowError):
            report.errors.append((line, str(row)))
            continue
        first = seen.get(row["registration_number"])
        if first is not None:
            report.errors.append((line, f"registration number {row['registration_number']} repeats line {first}"))
            continue
        seen[row["registration_number"]] = line
        batch.append(row)
        if len(batch) >= BATCH:
            _upsert(session, batch, report)
            batch = []
    if batch:
        _upsert(session, batch, report)
    return report


def _upsert(session: Session, batch: list[dict], report: ImportReport) -> None:
    existing = {
        f.registration_number: f
        for f in session.scalars(
            select(Factory).where(Factory.registration_number.in_([r["registration_number"] for r in batch]))
        )
    }
    for row in batch:
        factory = existing.get(row["registration_number"])
        if factory is None:
            session.add(Factory(**row))
            report.inserted += 1
            continue
        changed = False
        for key, value in row.items():
            if getattr(factory, key) != value:
                setattr(factory, key, value)
                changed = True
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1
    session.flush()


def import_csv_text(session: Session, text: str) -> ImportReport:
    return import_rows(session, read_rows(io.StringIO(text, newline="")))


def import_file(session: Session, path: Path) -> ImportReport:
    return import_csv_text(session, decode(path.read_bytes()))


def main(argv: list[str]) -> int:
    from cases.db import make_engine, make_session_factory
    from settings import get_settings

    parser = argparse.ArgumentParser(prog="python -m cases.registry.importer")
    parser.add_argument("file", type=Path)
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"import-registry: no such file: {args.file}", file=sys.stderr)
        return 2
    engine = make_engine(get_settings().database.sqlalchemy_url)
    try:
        with make_session_factory(engine).begin() as session:
            report = import_file(session, args.file)
    except RegistryFileError as error:
        print(f"import-registry: {args.file}: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    for line, reason in report.errors:
        print(f"{args.file}:{line}: skipped: {reason}", file=sys.stderr)
    print(
        f"import-registry: {report.inserted} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {len(report.errors)} bad rows skipped"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
