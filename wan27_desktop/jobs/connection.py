"""Resolve where to send and with which key: one place for the CLI and the app."""

from __future__ import annotations

from wan27_desktop.api.errors import AuthError
from wan27_desktop.api.models import Region
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.jobs.runner import Connection


class NoKeyError(AuthError):
    default_hint = QT_TRANSLATE_NOOP(
        "WanError",
        "Store a key with 'wan27 key set' (or in the app's key dialog), "
        "or set the DASHSCOPE_API_KEY environment variable.",
    )


def resolve_connection(region: Region, api_base: str | None = None) -> Connection:
    """The key (environment, session or OS keyring) plus the endpoint. May block on the keyring:
    GUI code calls this from a worker thread. An endpoint unfit for the key (not http(s), plain
    http to another machine, no /api/v1) is refused here, before any job is journaled."""
    from wan27_desktop import config, keys
    from wan27_desktop.api import endpoint

    base_url = endpoint.normalise(config.api_base(region, api_base))
    source = keys.resolve_key(region)
    if not source.key:
        # A locked or broken keyring is not the same as "no key": say which it is.
        detail = f" The keyring could not be read: {source.problem}" if source.problem else ""
        raise NoKeyError(f"No API key for {region.label}.{detail}")
    from wan27_desktop.redaction import register_secret

    register_secret(source.key)  # redacted from every log line and report from now on
    return Connection(region, base_url, source.key)
