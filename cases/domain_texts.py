"""The domain's wording: the one loader of the Rasa domain's texts for everything that is not Rasa.

The domain lives in `bot/domain/`, split by topic (intake, follow-up, handoff, ...); Rasa
merges the files itself. The gateway, the console, the web app's notices and the actions
read the merged `responses:` section through ``Wording``, with one rule: a text the code asks
for must be there and be a non-empty string, and a response that is there must be well
formed; otherwise ``WordingError`` names the file and the key. The loaders call it while the
process starts (the web app's start-up, the worker's, the console's), so a broken text stops
the start, not a citizen's conversation. A text may be asked for as optional
(``required=False``): then only its absence is allowed (the caller says nothing for it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# libyaml's safe loader, when PyYAML is built with it (the wheels are), reads the same
# documents into the same values about ten times faster than the pure-Python one; the domain
# is read at every start of the web app, the workers and the action server.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DomainReadError(RuntimeError):
    """The domain file or folder cannot be read or is not a Rasa domain."""


class WordingError(DomainReadError):
    """A text the code needs is missing or malformed; the message names the file and the key."""


def domain_files(path: str | Path) -> list[Path]:
    """The YAML files making up the domain at `path`, in a stable order."""
    root = Path(path)
    if root.is_dir():
        files = sorted(p for p in root.rglob("*") if p.suffix in {".yml", ".yaml"})
        if not files:
            raise DomainReadError(f"{root}: no domain files in this folder")
        return files
    return [root]


def read_domain(path: str | Path) -> dict:
    """Merge the domain files at `path`: lists are concatenated, mappings are joined.

    A key defined twice in mappings (a response, slot or form in two files) is an
    error, as it would silently override the other file.
    """
    return _read_domain(path)[0]


def _read_domain(path: str | Path) -> tuple[dict, dict[str, Path]]:
    """The merged domain and, for each response, the file that defines it."""
    merged: dict = {}
    origins: dict[str, Path] = {}
    for file in domain_files(path):
        try:
            part = yaml.load(file.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise DomainReadError(f"cannot read domain file {file}: {exc}") from exc
        if not isinstance(part, dict):
            raise DomainReadError(f"{file}: not a mapping")
        for key, value in part.items():
            if isinstance(value, dict):
                section = merged.setdefault(key, {})
                twice = set(section) & set(value)
                if twice and key != "session_config":
                    raise DomainReadError(f"{file}: {key} defined twice: {sorted(twice)}")
                section.update(value)
                if key == "responses":
                    origins.update(dict.fromkeys(value, file))
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(v for v in value if v not in merged.get(key, []))
            else:
                merged[key] = value
    return merged, origins


def read_responses(path: str | Path) -> dict:
    """The merged `responses:` section of the domain at `path`."""
    responses = read_domain(path).get("responses")
    if not isinstance(responses, dict):
        raise DomainReadError(f"{path}: no responses: section")
    return responses


@dataclass(frozen=True)
class Response:
    """A response's first variant, as Rasa would send it: text, buttons, custom payload."""

    key: str
    text: str
    buttons: tuple[dict[str, str], ...] = ()
    custom: Mapping[str, Any] = field(default_factory=dict)


class Wording:
    """The domain's responses, each with the file it comes from (see the module's rule)."""

    def __init__(self, responses: Mapping[str, Any], origins: Mapping[str, Path | str], source: str) -> None:
        self.responses = responses
        self._origins = origins
        self.source = source  # the file or folder, named when a text is missing

    @classmethod
    def load(cls, path: str | Path) -> Wording:
        """The responses of the domain file or folder at ``path``."""
        try:
            merged, origins = _read_domain(path)
        except WordingError:
            raise
        except DomainReadError as error:
            raise WordingError(str(error)) from error
        responses = merged.get("responses")
        if not isinstance(responses, dict):
            raise WordingError(f"{path}: no responses: section")
        return cls(responses, origins, str(path))

    @classmethod
    def of_domain(cls, domain: Mapping[str, Any], source: str = "the domain Rasa sent") -> Wording:
        """The responses of a domain already read (the one Rasa sends the action server)."""
        responses = domain.get("responses") if isinstance(domain, Mapping) else None
        return cls(responses if isinstance(responses, Mapping) else {}, {}, source)

    def where(self, key: str) -> str:
        return str(self._origins.get(key, self.source))

    def response(self, key: str, *, required: bool = True) -> Response | None:
        """The first variant of ``key``; None only when it is absent and not ``required``."""
        if key not in self.responses:
            if required:
                raise WordingError(f"{self.where(key)}: responses.{key} is missing")
            return None
        variants = self.responses[key]
        variant = variants[0] if isinstance(variants, list) and variants else None
        if not isinstance(variant, Mapping):
            raise WordingError(f"{self.where(key)}: responses.{key} has no variant (a list of mappings)")
        text = variant.get("text")
        if not isinstance(text, str) or not text.strip():
            raise WordingError(f"{self.where(key)}: responses.{key}[0].text is missing or empty")
        buttons = variant.get("buttons") or []
        if not isinstance(buttons, list) or not all(
            isinstance(b, Mapping) and b.get("title") and b.get("payload") for b in buttons
        ):
            raise WordingError(f"{self.where(key)}: responses.{key}[0].buttons need a title and a payload each")
        custom = variant.get("custom") or {}
        if not isinstance(custom, Mapping):
            raise WordingError(f"{self.where(key)}: responses.{key}[0].custom is not a mapping")
        return Response(
            key, text, tuple({"title": str(b["title"]), "payload": str(b["payload"])} for b in buttons), custom
        )

    def text(self, key: str, *, required: bool = True) -> str | None:
        """The first text of ``key``; None only when it is absent and not ``required``."""
        found = self.response(key, required=required)
        return found.text if found else None

    def required_text(self, key: str) -> str:
        found = self.response(key)
        assert found is not None  # required: absent raised
        return found.text

    def variant_texts(self, key: str) -> list[str]:
        """The text of every variant of ``key`` (none when it is absent)."""
        self.response(key, required=False)  # malformed: the same error as everywhere
        return [
            v["text"]
            for v in self.responses.get(key) or []
            if isinstance(v, Mapping) and isinstance(v.get("text"), str)
        ]


def wording_of(domain: Wording | str | Path) -> Wording:
    """A loader's argument: the wording already read, or the domain's path (read now)."""
    return domain if isinstance(domain, Wording) else Wording.load(domain)
