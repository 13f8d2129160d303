"""wan27_desktop/text.py: one line of text for a label."""

from __future__ import annotations

from wan27_desktop.text import one_line


def test_whitespace_becomes_one_space() -> None:
    assert one_line("  a red\n\tkite  over  the sea ") == "a red kite over the sea"
    assert one_line("a\nb\tc") == "a b c"


def test_longer_text_is_cut_with_an_ellipsis_at_the_limit() -> None:
    assert one_line("abcdef", 6) == "abcdef"
    assert one_line("abcdefg", 6) == "abcde…"
    assert len(one_line("x " * 300, 240)) == 240
