"""Where the DashScope API key comes from, and where it may be kept.

The key lives ONLY in the OS keyring (python `keyring`: Secret Service, macOS Keychain, Windows
Credential Locker) or in the process environment (`DASHSCOPE_API_KEY`, never saved). A key the
user enters when no keyring backend works can be kept in memory for this session only. It is never
written to settings, logs, messages or URLs; anything shown to people goes through `mask()`.

Keys are region-bound (§1.1: a Singapore key fails in Beijing and vice versa), so each region has
its own keyring entry: service `wan27-desktop/<region>`, username `api-key`.

BLOCKING: every function that touches the keyring (`resolve_key`, `store_key`, `clear_key`,
`keyring_available`) may block for seconds (D-Bus round trips, an unlock prompt). GUI code must
call them on a worker thread, never on the UI thread. This module imports no Qt.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Literal

from wan27_desktop import config
from wan27_desktop.api.errors import ValidationError, ValidationIssue, WanError
from wan27_desktop.api.models import Region
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP

log = logging.getLogger(__name__)

# WAN27_KEYRING_SERVICE lets tests (and portable installs) use their own keyring entries, so a
# test run never touches the user's real key.
SERVICE_PREFIX = os.environ.get("WAN27_KEYRING_SERVICE") or "wan27-desktop"
USERNAME = "api-key"

Origin = Literal["environment", "keyring", "session", "none"]

_ENV_HINT = QT_TRANSLATE_NOOP(
    "WanError",
    "Set the DASHSCOPE_API_KEY environment variable before starting the "
    "app or the wan27 command; it is used in place of the keyring and never saved.",
)


class KeyringUnavailable(WanError):
    """No working OS keyring: none is installed, or it is locked or unreachable (e.g. no D-Bus)."""

    default_hint = _ENV_HINT


@dataclass(frozen=True, repr=False)
class KeySource:
    """A resolved key and where it came from. `repr`/`str` never show the key, not even masked.

    `problem` explains why the keyring could not be read (origin is then 'none' unless the key
    came from the environment or the session).
    """

    key: str | None
    origin: Origin
    region: Region
    problem: str | None = None

    def __repr__(self) -> str:
        shown = "<set>" if self.key else "None"
        extra = f", problem={self.problem!r}" if self.problem else ""
        return f"KeySource(origin={self.origin!r}, region={self.region.value!r}, key={shown}{extra})"

    __str__ = __repr__

    @property
    def masked(self) -> str:
        """What may be shown to people: e.g. 'sk-…a1b2', or '' without a key."""
        return mask(self.key) if self.key else ""

    @property
    def description(self) -> str:
        """Where the key comes from, in words (for a status bar or `wan27 key status`)."""
        return {
            "environment": f"from the {config.ENV_API_KEY} environment variable (not saved)",
            "keyring": "from the system keyring",
            "session": "for this session only (forgotten when the app quits)",
            "none": "no key",
        }[self.origin]


def _keyring() -> ModuleType:
    """The `keyring` package, imported on first use: it loads its backends' entry points (20-40 ms),
    and the app's start-up only needs it later, on a worker thread (issue 7)."""
    import keyring
    import keyring.errors  # noqa: F401 - used as keyring.errors below

    return keyring


# Keys entered with "use for this session only"; read by worker threads, hence the lock.
_session_keys: dict[Region, str] = {}
_session_lock = threading.Lock()


def service_name(region: Region) -> str:
    return f"{SERVICE_PREFIX}/{region.value}"


def mask(key: str | None) -> str:
    """A form of the key safe to show: the public 'sk-' prefix, an ellipsis, at most the last 4.

    Short keys (under 12 characters) show no characters at all, since 4 would be most of them.
    """
    if not key:
        return ""
    key = key.strip()
    prefix = "sk-" if key.startswith("sk-") else ""
    tail = key[-4:] if len(key) >= 12 else ""
    return f"{prefix}…{tail}"


def normalise_key(text: str) -> str:
    """Lenient shape check of a pasted key: strip surrounding whitespace/newlines; refuse empty
    text, whitespace inside, and characters that cannot travel in an HTTP header.

    Raises ValidationError (field 'api_key'); its message never contains the key.
    """
    key = text.strip()
    problem = None
    if not key:
        problem = "The key is empty; paste the key from the Model Studio console."
    elif any(ch.isspace() for ch in key):
        problem = "The key contains spaces or line breaks; paste only the key itself (without 'Bearer' or other text)."
    elif not all(33 <= ord(ch) <= 126 for ch in key):
        problem = "The key contains characters a DashScope key never has; copy it again from the console."
    if problem:
        raise ValidationError([ValidationIssue("api_key", problem)])
    return key


def _backend_errors() -> tuple[type[BaseException], ...]:
    """Exceptions a keyring backend raises when it cannot do its job. secretstorage's own errors
    (e.g. the D-Bus session went away after start) are not always wrapped in KeyringError."""
    errors: list[type[BaseException]] = [_keyring().errors.KeyringError, OSError]
    try:
        from secretstorage.exceptions import SecretStorageException
    except ImportError:  # not on Linux, or backend not installed
        pass
    else:
        errors.append(SecretStorageException)
    return tuple(errors)


def _no_backend_reason() -> str | None:
    """Why the active backend cannot store anything, or None when it might."""
    from keyring.backends import chainer, fail, null

    backend = _keyring().get_keyring()
    if isinstance(backend, fail.Keyring | null.Keyring):
        return "No system keyring is available on this computer."
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return "No system keyring is available on this computer."
    return None


def _unavailable(reason: str, err: BaseException | None = None) -> KeyringUnavailable:
    detail = f" ({type(err).__name__}: {err})" if err is not None else ""
    return KeyringUnavailable(f"{reason}{detail}")


def keyring_available() -> tuple[bool, str]:
    """Whether the OS keyring works right now, with a plain explanation either way.

    Makes a harmless read, so a locked or absent Secret Service shows up here. Blocking.
    """
    reason = _no_backend_reason()
    if reason:
        return False, f"{reason} {_ENV_HINT}"
    backend = _keyring().get_keyring()
    try:
        backend.get_password(service_name(Region.SINGAPORE), USERNAME)
    except _backend_errors() as err:
        return False, f"The system keyring cannot be used: {type(err).__name__}: {err}. {_ENV_HINT}"
    return True, f"System keyring: {backend.name}."


def resolve_key(region: Region) -> KeySource:
    """The key to use for `region`: DASHSCOPE_API_KEY first, then a session key, then the keyring.

    Never raises for keyring trouble: the result then has origin 'none' and `problem` set, so a
    status bar can say why. Blocking (keyring).
    """
    env = config.env_api_key()
    if env:
        return KeySource(env, "environment", region)
    with _session_lock:
        session = _session_keys.get(region)
    if session:
        return KeySource(session, "session", region)
    reason = _no_backend_reason()
    if reason:
        return KeySource(None, "none", region, problem=f"{reason} {_ENV_HINT}")
    try:
        stored = _keyring().get_password(service_name(region), USERNAME)
    except _backend_errors() as err:
        log.warning("Keyring read failed for %s: %s", region.value, type(err).__name__)
        return KeySource(
            None, "none", region, problem=f"The system keyring cannot be used: {type(err).__name__}: {err}. {_ENV_HINT}"
        )
    if stored and stored.strip():
        return KeySource(stored.strip(), "keyring", region)
    return KeySource(None, "none", region)


def store_key(region: Region, key: str) -> KeySource:
    """Normalise `key` and save it in the OS keyring for `region`; returns the new source.

    A session key for the region is dropped (the stored key replaces it). Raises ValidationError
    for a malformed key and KeyringUnavailable when the keyring cannot store it. Blocking.
    """
    key = normalise_key(key)
    reason = _no_backend_reason()
    if reason:
        raise _unavailable(reason)
    try:
        _keyring().set_password(service_name(region), USERNAME, key)
    except _backend_errors() as err:
        raise _unavailable("The system keyring could not save the key", err) from None
    with _session_lock:
        _session_keys.pop(region, None)
    log.info("Stored API key %s for %s in the keyring", mask(key), region.value)
    return KeySource(key, "keyring", region)


def clear_key(region: Region) -> bool:
    """Forget the key for `region` in the keyring and this session; True if one was removed.

    The environment variable is not ours to change. Raises KeyringUnavailable when the keyring
    cannot be reached (a session key is still dropped). Blocking.
    """
    with _session_lock:
        removed = _session_keys.pop(region, None) is not None
    if _no_backend_reason():
        return removed
    keyring = _keyring()
    try:
        keyring.delete_password(service_name(region), USERNAME)
    except keyring.errors.PasswordDeleteError:
        return removed  # nothing stored: the wanted end state already
    except _backend_errors() as err:
        raise _unavailable("The system keyring could not remove the key", err) from None
    log.info("Removed the API key for %s from the keyring", region.value)
    return True


def set_session_key(region: Region, key: str | None) -> KeySource:
    """Keep `key` in memory for this process only (no keyring backend); None forgets it."""
    with _session_lock:
        if key is None:
            _session_keys.pop(region, None)
            return KeySource(None, "none", region)
        key = normalise_key(key)
        _session_keys[region] = key
    return KeySource(key, "session", region)
