"""The library's timestamps: UTC ISO-8601 text, and reading any ISO timestamp back.

Apart from rows.py (the row decoders) so a window can read a job's times without loading those."""

from __future__ import annotations

from datetime import datetime, timezone


def utc_now() -> str:
    """Timestamps are UTC ISO-8601 with microseconds: fixed width, so text order is time order."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def parse_time(text: str | None) -> datetime | None:
    """Any ISO timestamp (the library's own, or one with 'Z') -> an aware datetime; naive values
    are taken as UTC. None for empty or unreadable text."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def normalise_time(text: str | None) -> str | None:
    """Any ISO timestamp -> the library's UTC form (naive values are taken as UTC)."""
    moment = parse_time(text)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds") if moment else None
