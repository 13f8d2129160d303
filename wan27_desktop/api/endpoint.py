"""Where the API key may be sent: one rule for Settings, the `wan27` command and the client.

An endpoint is an http(s) URL with a host and no credentials, query, fragment or spaces, whose
path ends in /api/v1 (§1.1); it is kept without a trailing slash. https may go anywhere. Plain
http carries the key in clear text, so it may go only to this computer named literally: an
address in 127.0.0.0/8, ::1, or `localhost`.

Strict on purpose: `localhost.localdomain` and names under `.localhost` (RFC 6761) usually mean
this computer too, but the system resolver decides what they mean (an /etc/hosts line, or a DNS
query when there is none), and the key is not sent in clear text to whatever it answers. Settings,
the command line and the client all call `normalise`, so an endpoint one of them accepts the
others accept too.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from wan27_desktop.api.errors import ValidationError, ValidationIssue
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

FIELD = "endpoint"
API_PATH = "/api/v1"  # §1.1


def is_loopback_host(host: str) -> bool:
    """True for a host that is this computer by its literal name: 127.0.0.0/8, ::1, `localhost`."""
    host = host.strip("[]").lower()
    if host.rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def may_send_key(scheme: str, host: str) -> bool:
    """Whether the key may travel to `host` over `scheme`: https anywhere, plain http only here."""
    return scheme == "https" or (scheme == "http" and is_loopback_host(host))


def _refuse(template: str) -> ValidationError:
    return ValidationError([ValidationIssue.of(FIELD, template)])


def normalise(text: str, *, allow_plain_http: bool = False) -> str:
    """`text` as an endpoint (stripped, without a trailing slash), or `ValidationError` (field
    "endpoint") saying what is wrong. `allow_plain_http` lifts the loopback rule (tests only)."""
    url = text.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        _ = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError:
        raise _refuse(QT_TRANSLATE_NOOP("ValidationIssue", "This is not a valid URL.")) from None
    if parts.scheme not in ("http", "https") or not host:
        raise _refuse(
            QT_TRANSLATE_NOOP("ValidationIssue", "Use a full URL such as https://gateway.example.com/api/v1.")
        )
    if not (allow_plain_http or may_send_key(parts.scheme, host)):
        raise _refuse(
            QT_TRANSLATE_NOOP(
                "ValidationIssue", "Plain http is only allowed for localhost; use https so the key is encrypted."
            )
        )
    if parts.username or parts.password:
        raise _refuse(
            QT_TRANSLATE_NOOP("ValidationIssue", "Do not put credentials in the URL; the key is sent in a header.")
        )
    if parts.query or parts.fragment:
        raise _refuse(QT_TRANSLATE_NOOP("ValidationIssue", "The endpoint cannot have a query (?…) or fragment (#…)."))
    if any(ch.isspace() for ch in url):
        raise _refuse(QT_TRANSLATE_NOOP("ValidationIssue", "The URL cannot contain spaces."))
    if not parts.path.rstrip("/").endswith(API_PATH):
        # §1.1: every operation is appended to ".../api/v1"; without it every request would miss.
        raise _refuse(
            QT_TRANSLATE_NOOP(
                "ValidationIssue",
                "The endpoint must end in /api/v1, e.g. https://dashscope-intl.aliyuncs.com/api/v1; "
                "without it every request would miss.",
            )
        )
    return url.rstrip("/")
