"""The warning filters the caller asked for (``PYTHONWARNINGS``, ``-W``), kept in force.

Sanic puts every DeprecationWarning back to "once" when it is imported (``sanic/app.py``),
ahead of the caller's filters, so ``make run`` and ``make train`` printed the deprecations of
TensorFlow, SQLAlchemy 1.4 and pkg_resources inside Rasa although they asked for none.
``reapply`` runs after that import and puts the caller's filters in front again. Rasa then
puts every UserWarning to "once" when its command starts, and pyparsing's deprecations are
UserWarnings too; so what the caller ignores is also dropped when it is about to be shown
(``_QuietDisplay``), whatever filter a library put first.
"""

from __future__ import annotations

import builtins
import importlib
import re
import sys
import warnings
from dataclasses import dataclass
from typing import Any


def _category(name: str) -> type[Warning] | None:
    """The warning class an option names, as Python resolves it; None when it names none
    (Python ignores such an option too, rather than widening it to every warning)."""
    if not name:
        return Warning
    module_name, _, class_name = name.rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), class_name) if module_name else getattr(builtins, name)
    except (ImportError, AttributeError):
        return None
    return found if isinstance(found, type) and issubclass(found, Warning) else None


def _parse(option: str) -> tuple[str, str, type[Warning] | None, str, str]:
    """``action:message:category:module:lineno``, each part stripped, the category resolved."""
    action, message, category, module, lineno = (part.strip() for part in (option.split(":") + [""] * 5)[:5])
    return action, message, _category(category), module, lineno


@dataclass(frozen=True)
class _Ignored:
    message: re.Pattern[str]
    category: type[Warning]


def _ignored(options: list[str]) -> list[_Ignored]:
    """The options that ignore a category (and message) everywhere; one limited to a module
    or a line is left to the filters, which know where a warning comes from."""
    return [
        _Ignored(re.compile(re.escape(message), re.I), category)
        for action, message, category, module, lineno in map(_parse, options)
        if action == "ignore" and category is not None and not module and not lineno
    ]


class _QuietDisplay:
    """``warnings.showwarning`` that drops what the caller's options ignore."""

    def __init__(self, ignored: list[_Ignored], show: Any) -> None:
        self.ignored = ignored
        self.show = show

    def __call__(
        self, message: Any, category: type[Warning], filename: str, lineno: int, *args: Any, **kwargs: Any
    ) -> None:
        text = str(message)
        for rule in self.ignored:
            if issubclass(category, rule.category) and rule.message.match(text):
                return
        self.show(message, category, filename, lineno, *args, **kwargs)


def reapply(options: list[str] | None = None) -> None:
    """Each ``action:message:category:module:lineno`` option, in the order Python applies them."""
    for action, message, category, module, lineno in map(_parse, options if options is not None else sys.warnoptions):
        if action and category is not None:
            warnings.filterwarnings(
                action, message=message, category=category, module=module, lineno=int(lineno) if lineno.isdigit() else 0
            )


def install() -> None:
    import sanic  # noqa: F401  (its import changes the filters; it must come first)

    reapply()
    ignored = _ignored(sys.warnoptions)
    if ignored and not isinstance(warnings.showwarning, _QuietDisplay):
        warnings.showwarning = _QuietDisplay(ignored, warnings.showwarning)
