"""One TLS context for every HTTP client of the process.

`httpx.Client()` builds a new `ssl.SSLContext` and loads the CA bundle into it each time (~17 ms of
CPU); the app makes two clients per job (the API and the result host), so that cost sat between the
service's answer and the start of the download (issue 7: landing latency). An `SSLContext` is safe
to share between clients and threads once configured. Verification stays on: this is httpx's own
default context (certifi's CA bundle, or SSL_CERT_FILE / SSL_CERT_DIR from the environment).
"""

from __future__ import annotations

import ssl
import threading

_lock = threading.Lock()
_context: ssl.SSLContext | None = None


def shared_ssl_context() -> ssl.SSLContext:
    """The process's verifying TLS context, made on first use."""
    global _context
    with _lock:
        if _context is None:
            import httpx

            _context = httpx.create_ssl_context()
        return _context
