"""Pseudonyms and masks so personal data never reaches a log line, a trainer or an
officer who may not see it in clear text.

``mask_personal_data`` replaces, in this order: national ID numbers, e-mail addresses,
LINE ids (``@handle``, ``ไลน์ somchai99``, ``LINE ID: ...``), Thai phone numbers in every
usual writing (``0812345678``, ``081-234-5678``, ``081.234.5678``, ``+66 81 234 5678``,
``66812345678``, ``(02) 123 4567``, also in Thai digits ``๐๘๑...``) and a person's name
after a title (คุณ, นาย, นาง, นางสาว, น.ส.) with the word after it, taken as the surname
(Thai writes no space inside a name but one between name and surname; masking one word too
many is the safe error). The tested list is ``tests/cases/test_privacy.py``.
"""

from __future__ import annotations

import hashlib
import re


def pseudonym(value: str | None, salt: str = "i-dee") -> str:
    """A short stable pseudonym for a LINE user id (or any identifier) in logs."""
    if not value:
        return "-"
    return "u:" + hashlib.sha256((salt + value).encode()).hexdigest()[:10]


_D = "[0-9\u0e50-\u0e59]"  # an Arabic or a Thai digit
_SEP = r"[\s.\-]?"
_0 = "[0\u0e50]"
_66 = "[6\u0e56][6\u0e56]"
_NATIONAL_ID = re.compile(rf"(?<!{_D}){_D}{_SEP}{_D}{{4}}{_SEP}{_D}{{5}}{_SEP}{_D}{{2}}{_SEP}{_D}(?!{_D})")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(
    rf"(?<!{_D})(?:"
    rf"(?:\+\s?{_66}|{_66}|{_0}){_SEP}{_D}(?:{_SEP}{_D}){{7,8}}"  # mobile and landline, +66 / 66 / 0
    rf"|\(\s?{_0}{_D}{{1,2}}\s?\)\s?{_D}{{3}}{_SEP}{_D}{{3,4}}"  # (02) 123 4567, (081) 234 5678
    rf")(?!{_D})"
)
# "ไลน์ somchai99", "line id: somchai", "ไอดีไลน์ @shop": the keyword is kept, the id masked.
_LINE_KEYWORD = re.compile(r"(?i)((?:line|ไลน์)\s*(?:id|ไอดี)?|ไอดีไลน์)(\s*[:：]?\s*)@?[A-Za-z0-9._\-]{3,}")
_HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9._\-]{3,}")
# Words that start like a title but are not one (คุณภาพ: quality, นายจ้าง: employer, ...).
_NOT_TITLES = (
    "คุณภาพ",
    "คุณค่า",
    "คุณสมบัติ",
    "คุณประโยชน์",
    "คุณธรรม",
    "คุณูปการ",
    "คุณวุฒิ",
    "นายก",
    "นายจ้าง",
    "นายหน้า",
    "นายทุน",
    "นายอำเภอ",
    "นายร้อย",
    "นายทหาร",
    "นายด่าน",
    "นายตรวจ",
    "นายช่าง",
    "นายประกัน",
    "นางฟ้า",
    "นางงาม",
    "นางพยาบาล",
    "นางแบบ",
    "นางเอก",
    "นางสนม",
    "คุณยาย",
    "คุณตา",
    "คุณแม่",
    "คุณพ่อ",
    "คุณป้า",
    "คุณลุง",
    "คุณน้า",
    "คุณอา",
    "คุณปู่",
    "คุณย่า",
    "คุณครู",
    "คุณหมอ",
    "คุณพระ",
)
# The made-up name training examples carry where a citizen wrote one (training/export.py).
NAME_PLACEHOLDER = "นามสมมุติ"
_NAME_WORD = r"[\u0e01-\u0e4eA-Za-z]{2,30}"
_NAME = re.compile(
    rf"(?<![\u0e01-\u0e4e])(?!{'|'.join(_NOT_TITLES)})"
    rf"(คุณ|นางสาว|นาย|นาง|น\.ส\.)(?!\s?{NAME_PLACEHOLDER})\s?{_NAME_WORD}(?:\s{_NAME_WORD})?"
)


def mask_personal_data(text: str) -> str:
    """Replace personal data in free text with ``[national-id]``, ``[email]``,
    ``[line-id]``, ``[phone]`` and ``<title>[name]``."""
    text = _NATIONAL_ID.sub("[national-id]", text)
    text = _EMAIL.sub("[email]", text)
    text = _LINE_KEYWORD.sub(lambda m: f"{m.group(1)}{m.group(2)}[line-id]", text)
    text = _HANDLE.sub("[line-id]", text)
    text = _PHONE.sub("[phone]", text)
    return _NAME.sub(lambda m: f"{m.group(1)}[name]", text)
