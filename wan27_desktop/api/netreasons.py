"""What went wrong on the network, in words a person understands.

httpx reports a failed connection as, say, `ConnectError: [Errno -2] Name or service not known`.
`plain_reason` names the common cases in a short phrase marked for translation ("the host name could
not be resolved"); the message then reads "Could not connect to dashscope-intl.aliyuncs.com: the host
name could not be resolved." and the UI translates the phrase too (`i18n.error_message` translates
values that are marked texts). Anything it does not recognise keeps httpx's own text; logs always
get that text (`technical`).
"""

from __future__ import annotations

import errno
import socket
import ssl

import httpx

from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

REFUSED = QT_TRANSLATE_NOOP("WanError", "the connection was refused (is the address right, and the service up?)")
NO_DNS = QT_TRANSLATE_NOOP(
    "WanError", "the host name could not be resolved (no internet connection, or DNS is not working)"
)
UNREACHABLE = QT_TRANSLATE_NOOP("WanError", "the network is unreachable (check the internet connection)")
CONNECT_TIMEOUT = QT_TRANSLATE_NOOP("WanError", "the connection timed out")
READ_TIMEOUT = QT_TRANSLATE_NOOP("WanError", "the answer did not come in time")
UNTRUSTED = QT_TRANSLATE_NOOP(
    "WanError", "the server's certificate is not trusted (a proxy or firewall may be intercepting the connection)"
)
CLOSED = QT_TRANSLATE_NOOP("WanError", "the connection was closed unexpectedly")
PROXY = QT_TRANSLATE_NOOP("WanError", "the proxy refused the connection")

_UNREACHABLE_ERRNOS = {errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN}


def plain_reason(exc: BaseException, technical_text: str) -> str:
    """A phrase for `exc` (marked for translation), or `technical_text` when none fits."""
    causes = list(_chain(exc))
    if any(isinstance(c, ssl.SSLCertVerificationError) for c in causes):
        return UNTRUSTED
    if any(isinstance(c, socket.gaierror) for c in causes) or _mentions_dns(causes):
        return NO_DNS
    if isinstance(exc, httpx.ProxyError):
        return PROXY
    if isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout)):
        return CONNECT_TIMEOUT
    if isinstance(exc, httpx.ReadTimeout):
        return READ_TIMEOUT
    codes = {c.errno for c in causes if isinstance(c, OSError)}
    if isinstance(exc, httpx.ConnectError) and (errno.ECONNREFUSED in codes or "refused" in str(exc).lower()):
        return REFUSED
    if codes & _UNREACHABLE_ERRNOS:
        return UNREACHABLE
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
        return CLOSED
    return technical_text


def technical(exc: BaseException) -> str:
    """httpx's own account: the exception's class and text."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _mentions_dns(causes: list[BaseException]) -> bool:
    text = " ".join(str(c).lower() for c in causes)
    return any(
        hint in text
        for hint in (
            "name or service not known",
            "nodename nor servname",
            "getaddrinfo failed",
            "temporary failure in name resolution",
            "no address associated",
        )
    )
