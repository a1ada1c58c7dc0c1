"""`make validate`: Rasa's own data validation, told which responses our code sends.

`rasa data validate` counts a response as used only when a story or a rule names it; ours
are mostly sent by the actions (``dispatcher.utter_message(response=...)``), by the gateway
and the console (the wording of ``cases.domain_texts``) or asked by a form
(``utter_ask_<slot>``), so Rasa would call nearly every one unused and hide the one that
really is. Here a response counts as used when the dialogue, a form or that code names it
(``used_outside_dialogue``); Rasa's warning stays for any other, and every other check of
Rasa's runs as with ``rasa data validate``.

    python -m tools.validate_data --config config.yml --domain bot/domain --data data bot/dialogue

Runs in the Rasa environment; reads the code as text, imports none of it.
"""

from __future__ import annotations

import argparse
import logging
import re
import warnings
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# The code that sends the domain's responses by name.
SENDERS = ("actions", "gateway", "console", "web")
RASA_UNUSED = "The utterance '{}' is not used in any story or rule."
RASA_NO_EXAMPLES = "The intent '{}' is listed in the domain file, but is not found in the NLU training data."


def _domain(path: Path) -> dict:
    files = sorted(p for p in path.rglob("*") if p.suffix in {".yml", ".yaml"}) if path.is_dir() else [path]
    merged: dict = {}
    for file in files:
        for key, value in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    return merged


def _sender_code(root: Path) -> str:
    """The text of every module of the packages that send responses and buttons by name."""
    return "\n".join(p.read_text(encoding="utf-8") for folder in SENDERS for p in (root / folder).rglob("*.py"))


def used_outside_dialogue(domain_path: Path, root: Path = ROOT) -> set[str]:
    """The responses a form asks with (``utter_ask_<slot>``) or the code names (``"utter_..."``)."""
    domain = _domain(domain_path)
    asked = {
        f"utter_ask_{slot}" for form in (domain.get("forms") or {}).values() for slot in form.get("required_slots", [])
    }
    named = set(re.findall(r"[\"'](utter_\w+)[\"']", _sender_code(root)))
    return (asked | named) & set(domain.get("responses") or {})


def intents_sent_by_taps(domain_path: Path, root: Path = ROOT) -> set[str]:
    """Intents that arrive only as a button's or a postback's payload (``/intent{...}``),
    named in the domain or by the code that builds the buttons: they have no training
    examples because nobody types them."""
    domain = _domain(domain_path)
    files = sorted(domain_path.rglob("*.yml")) if domain_path.is_dir() else [domain_path]
    texts = [p.read_text(encoding="utf-8") for p in files] + [_sender_code(root)]
    named = set(re.findall(r"""["'`]/(\w+)""", "\n".join(texts)))
    return named & set(domain.get("intents") or [])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--domain", default="bot/domain")
    parser.add_argument("--data", nargs="+", default=["data", "bot/dialogue"])
    parser.add_argument("--fail-on-warnings", action="store_true")
    args = parser.parse_args(argv)

    from rasa.cli.utils import validate_files
    from rasa.shared.importers.importer import TrainingDataImporter
    from rasa.utils.common import configure_logging_and_warnings

    configure_logging_and_warnings(logging.INFO, warn_only_once=True, filter_repeated_logs=True)
    sent = used_outside_dialogue(Path(args.domain))
    for name in sent:  # after Rasa's own filters, which would otherwise take precedence
        warnings.filterwarnings("ignore", message=re.escape(RASA_UNUSED.format(name)), category=UserWarning)
    print(f"{len(sent)} responses are sent by a form or by name from {', '.join(SENDERS)}: not reported as unused")
    tapped = intents_sent_by_taps(Path(args.domain))
    for name in tapped:
        warnings.filterwarnings("ignore", message=re.escape(RASA_NO_EXAMPLES.format(name)), category=UserWarning)
    print(f"{len(tapped)} intents are sent by buttons and postbacks: not reported as lacking typed examples")
    importer = TrainingDataImporter.load_from_config(
        config_path=args.config, domain_path=args.domain, training_data_paths=args.data
    )
    validate_files(args.fail_on_warnings, None, importer)  # exits non-zero on errors


if __name__ == "__main__":
    main()
