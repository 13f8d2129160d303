"""Text for a one-line label: runs of whitespace (newlines included) become one space, and text
longer than a limit is cut with "…". Qt-free, below every layer."""

from __future__ import annotations


def one_line(text: str, limit: int | None = None) -> str:
    """`text` on one line, at most `limit` characters (the last one "…" when cut)."""
    text = " ".join(text.split())
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"
