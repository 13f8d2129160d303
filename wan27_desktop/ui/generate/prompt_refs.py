"""Reference tokens in a prompt ("image 2", "图2") and how they follow reordered references.

§2.2: the order of the images in the request numbers them, and prompts refer to them by that
number ("image 2", "图2"). When the user reorders or removes references the prompt must follow,
and a reference to a removed image is flagged, never silently pointed at another image.
Pure functions, no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

# A reference to a removed image is rewritten into a marker the user sees and must resolve; the
# patterns below never match inside a marker, so later renumbering leaves it alone.
REMOVED_EN = "[removed image {n}]"
REMOVED_ZH = "[已删除的图{n}]"

# "image 2", "Image2", "IMAGE 12" - not "images 2", not "myimage 2", and "image 10" is not "image 1".
_EN_SOURCE = (r"(?<!\[removed )(?<![A-Za-z])(image)( ?)(\d+)(?!\d)", re.IGNORECASE)
# "图2", "图片2" (not inside a removed marker: "[已删除的图2]").
_ZH_SOURCE = (r"(?<!\[已删除的)(图片?)(\d+)(?!\d)", 0)
_REMOVED_SOURCE = (r"\[removed image (\d+)\]|\[已删除的图(\d+)\]", re.IGNORECASE)
_CJK_SOURCE = (r"[\u3400-\u9fff]", 0)


@cache
def _pattern(source: tuple[str, int]) -> re.Pattern[str]:
    # Compiled at first use, not at import: the prompt editor loads with the window.
    return re.compile(*source)


def renumber_references(text: str, mapping: Mapping[int, int | None]) -> str:
    """Rewrite every "image N"/"图N" by `mapping` (old number -> new number, None when removed).

    Numbers absent from `mapping` are left as they are. All replacements happen at once, so a swap
    {1: 2, 2: 1} works. Removed images become "[removed image N]" / "[已删除的图N]".
    """

    def english(match: re.Match[str]) -> str:
        old = int(match.group(3))
        if old not in mapping:
            return match.group(0)
        new = mapping[old]
        if new is None:
            return REMOVED_EN.format(n=old)
        return f"{match.group(1)}{match.group(2)}{new}"

    def chinese(match: re.Match[str]) -> str:
        old = int(match.group(2))
        if old not in mapping:
            return match.group(0)
        new = mapping[old]
        if new is None:
            return REMOVED_ZH.format(n=old)
        return f"{match.group(1)}{new}"

    return _pattern(_ZH_SOURCE).sub(chinese, _pattern(_EN_SOURCE).sub(english, text))


def referenced_numbers(text: str) -> list[int]:
    """The image numbers a prompt mentions, in order of first mention."""
    if not text:  # the empty prompt of a new draft: its patterns need not be compiled for it
        return []
    found: list[tuple[int, int]] = [(m.start(), int(m.group(3))) for m in _pattern(_EN_SOURCE).finditer(text)]
    found += [(m.start(), int(m.group(2))) for m in _pattern(_ZH_SOURCE).finditer(text)]
    seen: list[int] = []
    for _pos, number in sorted(found):
        if number not in seen:
            seen.append(number)
    return seen


def reference_spans(text: str) -> list[tuple[int, int]]:
    """(start, length) of every live reference token, for highlighting."""
    if not text:
        return []
    spans = [(m.start(), m.end() - m.start()) for m in _pattern(_EN_SOURCE).finditer(text)]
    spans += [(m.start(), m.end() - m.start()) for m in _pattern(_ZH_SOURCE).finditer(text)]
    return sorted(spans)


def removed_markers(text: str) -> list[tuple[int, int]]:
    """(start, length) of every removed-image marker left by `renumber_references`."""
    if not text:
        return []
    return [(m.start(), m.end() - m.start()) for m in _pattern(_REMOVED_SOURCE).finditer(text)]


def reference_token(number: int, text: str = "") -> str:
    """The token to insert for image `number`: "图N" when the prompt is Chinese, else "image N"."""
    return f"图{number}" if _pattern(_CJK_SOURCE).search(text) else f"image {number}"
