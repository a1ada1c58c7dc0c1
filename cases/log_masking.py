"""Personal data never reaches a log line in clear text.

``install_log_masking()`` wraps the process's log-record factory, so every record of
every logger (uvicorn's access log included) has its message, its arguments and its
traceback text masked before any handler or formatter sees it: phone and national ID
numbers become ``[phone]`` / ``[national-id]`` (``cases.privacy.mask_personal_data``)
and LINE user, group and room ids (``U``/``C``/``R`` + 32 hex digits) become the same
pseudonym every service uses (``cases.privacy.pseudonym``). ``PersonalDataFilter`` does
the same as a ``logging.Filter`` for handlers configured elsewhere.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from cases.privacy import mask_personal_data, pseudonym

LINE_ID = re.compile(r"(?<![0-9A-Za-z])[UCR][0-9a-f]{32}(?![0-9A-Za-z])")
_SAFE_ARG_TYPES = (int, float, bool, type(None))
_INSTALLED_FLAG = "_idee_log_masking"


def mask_text(text: str) -> str:
    """Pseudonymise LINE ids, then mask phone and national ID numbers."""
    return mask_personal_data(LINE_ID.sub(lambda m: pseudonym(m.group(0)), text))


class _Masked:
    """Stands in for a non-string log argument: formats as the masked str/repr."""

    __slots__ = ("_value",)

    def __init__(self, value: Any) -> None:
        self._value = value

    def __str__(self) -> str:
        return mask_text(str(self._value))

    def __repr__(self) -> str:
        return mask_text(repr(self._value))

    def __format__(self, spec: str) -> str:
        return mask_text(format(self._value, spec))

    # Numeric formats (%d, %x, %f) of number-like objects keep working.
    def __int__(self) -> int:
        return int(self._value)

    def __index__(self) -> int:
        return self._value.__index__()

    def __float__(self) -> float:
        return float(self._value)


def _mask_arg(value: Any) -> Any:
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, _SAFE_ARG_TYPES) or isinstance(value, _Masked):
        return value
    return _Masked(value)


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    """Mask a record in place (idempotent) and return it."""
    if getattr(record, _INSTALLED_FLAG, False):
        return record
    if isinstance(record.msg, str):
        record.msg = mask_text(record.msg)
    elif not isinstance(record.msg, _SAFE_ARG_TYPES):
        record.msg = _Masked(record.msg)
    args = record.args
    if isinstance(args, tuple):
        record.args = tuple(_mask_arg(a) for a in args)
    elif isinstance(args, dict):
        record.args = {k: _mask_arg(v) for k, v in args.items()}
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    if record.stack_info:
        record.stack_info = mask_text(record.stack_info)
    setattr(record, _INSTALLED_FLAG, True)
    return record


class PersonalDataFilter(logging.Filter):
    """A handler or logger filter that masks each record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


def install_log_masking() -> None:
    """Mask every log record this process creates from now on (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, _INSTALLED_FLAG, False):
        return

    def masking_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(factory(*args, **kwargs))

    setattr(masking_factory, _INSTALLED_FLAG, True)
    logging.setLogRecordFactory(masking_factory)
