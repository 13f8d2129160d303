"""The library's timestamps: UTC ISO-8601 text, and reading any ISO timestamp back.

Apart from rows.py (the row decoders) so a window can read a job's times without loading those.
The `datetime` module (~2 ms) is imported where it is used: a window loads this module before its
full paint and reads no time until after it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


def utc_now() -> str:
    """Timestamps are UTC ISO-8601 with microseconds: fixed width, so text order is time order."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def parse_time(text: str | None) -> datetime | None:
    """Any ISO timestamp (the library's own, or one with 'Z') -> an aware datetime; naive values
    are taken as UTC. None for empty or unreadable text."""
    if not text:
        return None
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def normalise_time(text: str | None) -> str | None:
    """Any ISO timestamp -> the library's UTC form (naive values are taken as UTC)."""
    from datetime import timezone

    moment = parse_time(text)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds") if moment else None
