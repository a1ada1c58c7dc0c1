"""The caller's warning filters hold after Sanic's import, which sets deprecations to "once"."""

from __future__ import annotations

import warnings

from rasa_server import warning_filters


def _action_for(category: type[Warning]) -> str | None:
    for action, _message, filtered, _module, _lineno in warnings.filters:
        if issubclass(category, filtered):
            return action
    return None


def test_the_callers_filter_is_put_back_in_front():
    with warnings.catch_warnings():
        warnings.resetwarnings()
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("once", category=DeprecationWarning)  # what sanic/app.py does
        assert _action_for(DeprecationWarning) == "once"
        warning_filters.reapply(["ignore::DeprecationWarning", "error:boom:UserWarning"])
        assert _action_for(DeprecationWarning) == "ignore"
        assert warnings.filters[0][0] == "error" and warnings.filters[0][1].pattern == "boom"


def test_an_option_naming_no_warning_class_is_left_out_not_widened():
    with warnings.catch_warnings():
        warnings.resetwarnings()
        warning_filters.reapply(["", "ignore::NoSuchWarning", "ignore::no_such_module.Warning", "ignore::dict"])
        assert warnings.filters == []


def test_a_category_may_be_named_by_its_module():
    with warnings.catch_warnings():
        warnings.resetwarnings()
        warning_filters.reapply(["ignore::pyparsing.warnings.PyparsingDeprecationWarning"])
        assert warnings.filters[0][2].__name__ == "PyparsingDeprecationWarning"


def test_what_the_caller_ignores_is_not_shown_whatever_filter_comes_first(capsys):
    shown = []
    quiet = warning_filters._QuietDisplay(
        warning_filters._ignored(
            ["ignore::DeprecationWarning", "ignore:You have an overlap:UserWarning", "ignore::UserWarning:some.module"]
        ),
        lambda message, category, *rest: shown.append(str(message)),
    )

    class LibraryDeprecation(UserWarning, DeprecationWarning):
        pass

    quiet(LibraryDeprecation("'setParseAction' deprecated"), LibraryDeprecation, "f.py", 1)
    quiet(UserWarning("You have an overlap between extractors"), UserWarning, "f.py", 1)
    quiet(UserWarning("The intent 'x' has no examples"), UserWarning, "f.py", 1)
    assert shown == ["The intent 'x' has no examples"]
