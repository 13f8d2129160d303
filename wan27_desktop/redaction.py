"""Secret redaction: the one place that knows which strings must never reach a log, report or message.

Qt-free and import-light, so the CLI and the jobs layer can register a key without pulling in the
diagnostics module (and Qt's version lookups with it). `diagnostics` builds its logging filter on it.
"""

from __future__ import annotations

import base64
import re
import threading
from urllib.parse import quote, quote_plus

from wan27_desktop import config

REDACTED = "<redacted>"
_MIN_SECRET = 8  # shorter "secrets" would redact ordinary words

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # "Authorization: Bearer <key>" as a header line, a dict repr or a curl command.
    (re.compile(r"(?i)(\bbearer\s+)[^\s'\"<>,;}]+"), r"\1" + REDACTED),
    # Any other scheme or a bare value after an Authorization field name.
    (
        re.compile(
            r"(?i)(\b(?:proxy-)?authorization\b['\"]?\s*[:=]\s*['\"]?)(?!bearer\s)(?:basic\s+|token\s+)?"
            r"[^\s'\"<>,;}]+"
        ),
        r"\1" + REDACTED,
    ),
    # Anything shaped like a DashScope key. The look-behind keeps words like "task-12345678" intact.
    (re.compile(r"(?<![A-Za-z0-9_\-])sk-[A-Za-z0-9_\-]{8,}"), "sk-" + REDACTED),
)

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_compiled: tuple[frozenset[str], re.Pattern[str] | None] = (frozenset(), None)


def register_secret(value: str | None) -> None:
    """Redact `value` (and its URL-encoded and base64 forms) from every log line and report from now on."""
    if value and len(value.strip()) >= _MIN_SECRET:
        with _secrets_lock:
            _secrets.add(value.strip())


def _base64_forms(secret: bytes) -> set[str]:
    """Base64 text that stands for `secret` wherever it sits in an encoded blob (e.g. 'user:key').

    Base64 works in 3-byte groups, so the secret lands at one of three alignments; for each, keep
    only the characters whose bits all come from the secret.
    """
    forms = set()
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + secret).decode("ascii")
        start = -(-8 * offset // 6)  # ceil: the first character made only of secret bits
        end = 8 * (offset + len(secret)) // 6
        core = encoded[start:end]
        forms.update({core, core.replace("+", "-").replace("/", "_")})
    whole = base64.b64encode(secret).decode("ascii")
    forms.update({whole, base64.urlsafe_b64encode(secret).decode("ascii")})
    return forms


def _secret_forms(secret: str) -> set[str]:
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    forms |= {form.lower() for form in forms if "%" in form}
    forms |= _base64_forms(secret.encode("utf-8"))
    return {form for form in forms if len(form) >= _MIN_SECRET}


def _secret_pattern() -> re.Pattern[str] | None:
    global _compiled
    with _secrets_lock:
        current = set(_secrets)
    env = config.env_api_key()
    if env and len(env) >= _MIN_SECRET:
        current.add(env)
    key = frozenset(current)
    cached_key, pattern = _compiled
    if key != cached_key:
        forms: set[str] = set()
        for secret in key:
            forms |= _secret_forms(secret)
        # Longest first, so a whole key wins over a base64 core that is part of it.
        alternatives = sorted(forms, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None
        _compiled = (key, pattern)
    return pattern


def redact(text: str) -> str:
    """`text` with registered keys (all forms), DashScope-shaped keys and Authorization values removed."""
    pattern = _secret_pattern()
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    for regex, replacement in _PATTERNS:
        text = regex.sub(replacement, text)
    return text
