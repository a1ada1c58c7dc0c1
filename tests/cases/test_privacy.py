"""The tested list of Thai personal-data patterns that ``mask_personal_data`` hides."""

import pytest

from cases.privacy import mask_personal_data

MASKED = [
    ("โทร 0812345678 ค่ะ", "โทร [phone] ค่ะ"),
    ("โทร 081-234-5678", "โทร [phone]"),
    ("โทร 081 234 5678", "โทร [phone]"),
    ("โทร 081.234.5678", "โทร [phone]"),
    ("เบอร์ 66812345678", "เบอร์ [phone]"),
    ("เบอร์ +66812345678", "เบอร์ [phone]"),
    ("เบอร์ +66 81 234 5678", "เบอร์ [phone]"),
    ("สำนักงาน (02) 123 4567", "สำนักงาน [phone]"),
    ("สำนักงาน 02-123-4567", "สำนักงาน [phone]"),
    ("โทร ๐๘๑๒๓๔๕๖๗๘ นะคะ", "โทร [phone] นะคะ"),
    ("โทร ๐๘๑-๒๓๔-๕๖๗๘", "โทร [phone]"),
    ("บัตร 1-1014-00123-45-6", "บัตร [national-id]"),
    ("บัตร 1101400123456", "บัตร [national-id]"),
    ("บัตร ๑๑๐๑๔๐๐๑๒๓๔๕๖", "บัตร [national-id]"),
    ("อีเมล somchai.j@example.co.th ค่ะ", "อีเมล [email] ค่ะ"),
    ("ไลน์ somchai99 ค่ะ", "ไลน์ [line-id] ค่ะ"),
    ("LINE ID: somchai_99", "LINE ID: [line-id]"),
    ("ไอดีไลน์ @shop123", "ไอดีไลน์ [line-id]"),
    ("แอดมา @somchai.j", "แอดมา [line-id]"),
    ("คุณสมชาย ใจดี เรียกเงิน", "คุณ[name] เรียกเงิน"),
    ("นายสมชาย ใจดี", "นาย[name]"),
    ("นางสาวสมหญิง รักดี แจ้งค่ะ", "นางสาว[name] แจ้งค่ะ"),
    ("นางมาลี ศรีสุข แจ้ง", "นาง[name] แจ้ง"),
    ("น.ส.สมหญิง รักดี", "น.ส.[name]"),
]

KEPT = [
    "คุณภาพอากาศแย่มาก",
    "นายจ้างไม่จ่ายค่าจ้าง",
    "นายกเทศมนตรีไม่สนใจ",
    "คุณยายไอไม่หยุด",
    "คุณนามสมมุติ เรียกเงิน",  # the export's made-up name
    "คุณหมอบอกว่าแพ้สารเคมี",
    "โรงงานปล่อยน้ำเสียทุกคืน",
    "IDEE-2569-000123",
    "เมื่อ 12/05/2569 เวลา 14.30 น.",
    "จ่ายไป 5,000 บาท",
    "ห่าง 500 เมตร",
    "a@b",
]


@pytest.mark.parametrize(("text", "masked"), MASKED)
def test_personal_data_is_masked(text, masked):
    assert mask_personal_data(text) == masked


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_text_is_kept(text):
    assert mask_personal_data(text) == text
