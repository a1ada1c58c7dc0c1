"""Thai factory-name normalisation: what two spellings of one name have in common.

Legal forms (บริษัท, บจก., จำกัด, (มหาชน), ห้างหุ้นส่วนจำกัด, Co., Ltd. …), spacing,
punctuation and Thai versus Arabic digits are dropped or unified, so that "บจก.น้ำแข็ง
มหาชัย", "บริษัท น้ำแข็งมหาชัย จำกัด" and "น้ำแข็ง มหาชัย" share one key.
"""

from __future__ import annotations

import re

from cases.registry.numbers import THAI_DIGITS

# Longest first: "ห้างหุ้นส่วนจำกัด" before "จำกัด", "บริษัทมหาชนจำกัด" before "บริษัท".
LEGAL_FORMS: tuple[str, ...] = tuple(
    sorted(
        (
            "บริษัทมหาชนจำกัด",
            "ห้างหุ้นส่วนจำกัด",
            "ห้างหุ้นส่วนสามัญนิติบุคคล",
            "ห้างหุ้นส่วนสามัญ",
            "ห้างหุ้นส่วน",
            "บริษัท",
            "บจก.",
            "บจก",
            "บมจ.",
            "บมจ",
            "หจก.",
            "หจก",
            "หสน.",
            "หสม.",
            "จำกัด(มหาชน)",
            "(มหาชน)",
            "มหาชน",
            "จำกัด",
            "จก.",
            "publiccompanylimited",
            "companylimited",
            "co.,ltd.",
            "co.,ltd",
            "co.ltd.",
            "co.ltd",
            "ltd.",
            "ltd",
            "plc.",
            "plc",
            "limited",
            "company",
            "co.",
        ),
        key=len,
        reverse=True,
    )
)
_LEGAL = re.compile("|".join(re.escape(form) for form in LEGAL_FORMS))
_NOISE = re.compile(r"[\s\"'`.,;:!?()\[\]{}<>/\\|_\-–—“”‘’ๆฯ]+")


def name_key(name: str | None) -> str:
    """The normalised key of a factory name (may be empty)."""
    text = (name or "").translate(THAI_DIGITS).lower()
    text = re.sub(r"\s+", "", text)  # spacing inside a form: "จำกัด (มหาชน)", "co., ltd."
    text = _LEGAL.sub("", text)
    return _NOISE.sub("", text)


def text_key(text: str | None) -> str:
    """A free-text complaint in the same alphabet as ``name_key`` (legal forms dropped too)."""
    return name_key(text)
