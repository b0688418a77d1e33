"""Notification kinds. CONTRACT: register_kind(key, *, label, default="digest"|"immediate"|"off").

Modules register their kinds in AppConfig.ready(); unknown kinds are refused by notify().
The registry is what the preferences page lists, so a kind's `label` is user-facing
(pass a gettext_lazy string). The default applies to everyone who has not chosen: the
daily digest, unless a module has a reason to interrupt people at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

IMMEDIATE = "immediate"
DIGEST = "digest"
OFF = "off"
CHANNELS = (IMMEDIATE, DIGEST, OFF)

# The key of the preference row that switches every email off ("unsubscribe from all").
ALL_KINDS = "*"


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    default: str


_kinds: dict[str, Kind] = {}


def register_kind(key: str, *, label, default: str = DIGEST) -> None:
    """Declare a kind of notification. Registering the same key again replaces it (so
    reloading an app config in tests is harmless)."""
    if not key or key == ALL_KINDS or len(key) > 64:
        raise ValueError(f"Not a valid notification kind: {key!r}")
    if default not in CHANNELS:
        raise ValueError(f"default must be one of {CHANNELS}, not {default!r}")
    _kinds[key] = Kind(key=key, label=label, default=default)


def get_kind(key: str) -> Kind:
    try:
        return _kinds[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}: register it first") from None


def is_registered(key: str) -> bool:
    return key in _kinds


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: kind.key)


def label_of(key: str) -> Any:
    kind = _kinds.get(key)
    return kind.label if kind else key


def unregister_kind(key: str) -> None:
    """For tests only."""
    _kinds.pop(key, None)
