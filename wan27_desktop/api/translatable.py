"""Marking user-facing text for translation without importing Qt (api/ stays Qt-free).

`QT_TRANSLATE_NOOP(context, text)` returns `text` unchanged; pyside6-lupdate recognises the name
and extracts the pair into resources/i18n/*.ts. The UI translates the text when it shows it
(`wan27_desktop.i18n.error_message`, `.hint_text`, `.issue_text`):

    default_hint = QT_TRANSLATE_NOOP("WanError", "Check the internet connection (or proxy) and retry.")
    ValidationIssue.of("n", QT_TRANSLATE_NOOP("ValidationIssue", "n={n} is out of range."), n=n)

Templates keep their `{placeholders}`: the UI translates the template first, then formats it with
the same values, so a translation can move the values around. The text must be one string
literal (implicit concatenation is fine, parentheses around it are not: lupdate skips those).
"""

from __future__ import annotations

# Contexts the UI translates these texts in (wan27_desktop/i18n.py uses the same names).
ERROR_CONTEXT = "WanError"
ISSUE_CONTEXT = "ValidationIssue"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark `text` for translation in `context`; returns it unchanged."""
    return text
