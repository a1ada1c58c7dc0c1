"""The warning filters the caller asked for (``PYTHONWARNINGS``, ``-W``), kept in force.

Sanic puts every DeprecationWarning back to "once" when it is imported (``sanic/app.py``),
ahead of the caller's filters, so ``make run`` and ``make train`` printed the deprecations of
TensorFlow, SQLAlchemy 1.4 and pkg_resources inside Rasa although they asked for none.
``reapply`` runs after that import and puts the caller's filters in front again.
"""

from __future__ import annotations

import builtins
import importlib
import sys
import warnings


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


def reapply(options: list[str] | None = None) -> None:
    """Each ``action:message:category:module:lineno`` option, in the order Python applies them."""
    for option in options if options is not None else sys.warnoptions:
        action, message, category_name, module, lineno = (option.split(":") + [""] * 5)[:5]
        category = _category(category_name.strip())
        if not action or category is None:
            continue
        warnings.filterwarnings(
            action.strip(),
            message=message.strip(),
            category=category,
            module=module.strip(),
            lineno=int(lineno) if lineno.strip().isdigit() else 0,
        )


def install() -> None:
    import sanic  # noqa: F401  (its import changes the filters; it must come first)

    reapply()
