"""Diagnostics (issue 9): a rotating local log with secrets redacted, a report for bug reports,
and the last-resort handler for uncaught exceptions. Qt-free: Qt versions are looked up lazily.

Public API:
    setup_logging(data_dir=None, level=logging.INFO, *, max_bytes=1_000_000, backups=5) -> Path
    register_secret(value)        # the app registers every key it resolves; DASHSCOPE_API_KEY is always covered
    redact(text) -> str           # what the log filter and the report use
    RedactingFilter               # a logging.Filter that redacts message, args, exception, stack and extras
    recent_errors(n=20) -> list[str]
    diagnostic_info(extra=None) -> str
    component_versions() -> list[tuple[str, str]]
    install_excepthook(show=None) / uninstall_excepthook()

Which loggers: both trees the package logs under, `wan27.*` (api, jobs, app) and `wan27_desktop.*`
(modules that use `__name__`). The redacting handlers sit on those tree roots and redact the record
in place, so by the time a record propagates to a root handler (e.g. `--debug` on stderr) it is clean.
"""

from __future__ import annotations

import contextlib
import locale
import logging
import logging.handlers
import os
import platform
import sqlite3
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit

from wan27_desktop import buildinfo, config
from wan27_desktop.private_files import make_dirs, open_new
from wan27_desktop.redaction import REDACTED, redact, register_secret

__all__ = ["REDACTED", "redact", "register_secret"]  # re-exported: part of the API listed above

APP_TITLE = "Wan 2.7 Desktop"
LOGGER_NAMES = ("wan27", "wan27_desktop")
LOG_FILE_NAME = "wan27.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
KEYRING_PROBE_SECONDS = 3.0

_FILE_HANDLER = "wan27-diagnostics-file"
_RECENT_HANDLER = "wan27-diagnostics-recent"

log = logging.getLogger("wan27.diagnostics")

# -- redaction (the patterns live in `redaction`) ----------------------------------------------------

_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class RedactingFilter(logging.Filter):
    """Rewrites each record in place: the formatted message, the exception and stack text, and any
    `extra=` attributes. Never drops a record. `exc_info` is replaced by its redacted text, so no
    later handler can format the raw exception again."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad %-format: keep both parts so the line is not lost
            message = f"{record.msg!r} % {record.args!r}"
        record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        if isinstance(getattr(record, "message", None), str):
            record.message = record.msg
        for name, value in list(vars(record).items()):
            if name in _STANDARD_ATTRS or isinstance(value, bool | int | float | type(None)):
                continue
            text = value if isinstance(value, str) else str(value)
            cleaned = redact(text)
            if cleaned != text or isinstance(value, str):
                setattr(record, name, cleaned)
        return True


# -- log handlers ---------------------------------------------------------------------------------


class _RecentErrors(logging.Handler):
    """WARNING and above from the app's loggers, formatted (and so redacted) as they arrive."""

    def __init__(self, capacity: int = 100) -> None:
        super().__init__(logging.NOTSET)  # NOTSET: it redacts every record, and keeps only warnings
        self._lines: deque[str] = deque(maxlen=capacity)
        self.set_name(_RECENT_HANDLER)
        self.setFormatter(logging.Formatter(LOG_FORMAT))
        self.addFilter(RedactingFilter())

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self._lines.append(self.format(record))

    def lines(self, n: int) -> list[str]:
        with self.lock:  # type: ignore[union-attr]
            return list(self._lines)[-n:] if n > 0 else []


_setup_lock = threading.RLock()
_recent = _RecentErrors()
_state: dict[str, Path | None] = {"log_path": None, "data_dir": None}


def _tree_loggers() -> list[logging.Logger]:
    return [logging.getLogger(name) for name in LOGGER_NAMES]


def _named_handler(name: str) -> logging.Handler | None:
    for logger in _tree_loggers():
        for handler in logger.handlers:
            if handler.get_name() == name:
                return handler
    return None


def _ensure_recent_handler() -> None:
    with _setup_lock:
        for logger in _tree_loggers():
            if not any(h.get_name() == _RECENT_HANDLER for h in logger.handlers):
                logger.handlers.insert(0, _recent)  # first: redacts before any other handler sees it


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files readable by their user only (they hold prompts and paths), the rotated ones too."""

    def _open(self):  # untyped: the stub's return type varies by Python version
        with contextlib.suppress(FileExistsError):
            os.close(open_new(Path(self.baseFilename)))
        return super()._open()


def setup_logging(
    data_dir: Path | None = None, level: int = logging.INFO, *, max_bytes: int = 1_000_000, backups: int = 5
) -> Path:
    """Log the app's loggers to `<data_dir>/logs/wan27.log` (rotating), redacted. Idempotent: a
    second call adjusts the level and keeps the one handler (or moves it if `data_dir` changed).

    Returns the log file's path. When the folder cannot be written, logging stays in memory
    (`recent_errors`), a warning says why, and `log_path()` returns None.
    """
    base = Path(data_dir) if data_dir is not None else config.data_dir()
    path = base / "logs" / LOG_FILE_NAME
    with _setup_lock:
        _ensure_recent_handler()
        _state["data_dir"] = base
        for logger in _tree_loggers():
            logger.setLevel(level)
        current = _named_handler(_FILE_HANDLER)
        if isinstance(current, logging.FileHandler) and current.baseFilename == os.path.abspath(path):
            return path
        if current is not None:
            for logger in _tree_loggers():
                logger.removeHandler(current)
            current.close()
        try:
            make_dirs(path.parent)
            handler = _PrivateRotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        except OSError as err:
            _state["log_path"] = None
            log.warning("Cannot write the log file %s (%s); logging in memory only.", path, err)
            print(f"wan27-desktop: cannot write the log file {path}: {err}", file=sys.stderr)
            return path
        handler.set_name(_FILE_HANDLER)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        handler.addFilter(RedactingFilter())
        for logger in _tree_loggers():
            logger.addHandler(handler)
        _state["log_path"] = path
    return path


def log_path() -> Path | None:
    """The current log file, or None when `setup_logging` has not run or could not write."""
    return _state["log_path"]


def recent_errors(n: int = 20) -> list[str]:
    """The last `n` WARNING+ log entries of this session (redacted), oldest first."""
    _ensure_recent_handler()
    return _recent.lines(n)


# -- the report -----------------------------------------------------------------------------------


def _version_of(module_name: str, dist_name: str) -> str:
    import importlib
    import importlib.metadata

    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return "not installed"
    version = getattr(module, "__version__", None)
    if isinstance(version, str):
        return version
    try:
        return importlib.metadata.version(dist_name)
    except importlib.metadata.PackageNotFoundError:  # e.g. a frozen bundle without metadata
        return "unknown"


def component_versions() -> list[tuple[str, str]]:
    """(component, version) for the About dialog and the report. Imports Qt lazily."""
    try:
        from PySide6.QtCore import qVersion
    except ImportError:
        qt = "not available"
    else:
        qt = qVersion()
    return [
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("Qt", qt),
        ("PySide6", _version_of("PySide6", "PySide6-Essentials")),
        ("httpx", _version_of("httpx", "httpx")),
        ("keyring", _version_of("keyring", "keyring")),
        ("platformdirs", _version_of("platformdirs", "platformdirs")),
        ("SQLite", sqlite3.sqlite_version),
    ]


def _file_note(path: Path | None, absent: str = "not set up") -> str:
    if path is None:
        return absent
    try:
        return f"{path} ({path.stat().st_size:,} bytes)"
    except OSError:
        return f"{path} (missing)"


def _keyring_lines(timeout: float) -> list[str]:
    """Backend, availability and key origin per region. Keyring calls can block (D-Bus, unlock
    prompts), so they run on a helper thread and the report waits at most `timeout` seconds."""
    found: list[str] = []

    def probe() -> None:
        from wan27_desktop import keys
        from wan27_desktop.api.models import Region

        # Anything the keyring stack raises belongs in the report, not in a second crash dialog.
        try:
            import keyring

            backend = keyring.get_keyring()
            found.append(f"  backend: {type(backend).__module__}.{type(backend).__qualname__}")
            ok, text = keys.keyring_available()
            found.append(f"  available: {'yes' if ok else 'no'} - {text}")
            for region in Region:
                source = keys.resolve_key(region)
                register_secret(source.key)
                shown = f" {source.masked}" if source.key else ""
                problem = f" ({source.problem})" if source.problem and source.problem != text else ""
                found.append(f"  key for {region.value}: {source.origin}{shown}{problem}")
        except Exception as err:  # noqa: BLE001 - reported in the text, never swallowed silently
            found.append(f"  probe failed: {type(err).__name__}: {err}")

    # A daemon thread, not a pool's: if the keyring never answers it is left behind, holding no pool.
    worker = threading.Thread(target=probe, name="diagnostics-keyring", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        found.append(f"  no answer from the keyring within {timeout:g} s (locked or unreachable?)")
    return list(found)


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{REDACTED}@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _format_extra(extra: Mapping[str, object]) -> list[str]:
    lines = []
    for name, value in extra.items():
        if isinstance(value, Mapping):
            lines.append(f"{name}:")
            lines.extend(f"  {key}: {item}" for key, item in value.items())
        elif isinstance(value, list | tuple):
            lines.append(f"{name}:")
            lines.extend(f"  {item}" for item in value)
        else:
            lines.append(f"{name}: {value}")
    return lines


def diagnostic_info(
    extra: Mapping[str, object] | None = None, *, keyring_timeout: float = KEYRING_PROBE_SECONDS
) -> str:
    """Plain text for a bug report: versions, platform, paths, keyring, key origin (masked), recent
    errors, plus `extra` (e.g. the main window's region, endpoint, library stats). Never the key:
    the whole text is redacted once more before it is returned.

    May block up to `keyring_timeout` seconds on a hung keyring.
    """
    from wan27_desktop.library.paths import DB_NAME, LIBRARY_DIRNAME

    data = _state["data_dir"] or config.data_dir()
    database = data / LIBRARY_DIRNAME / DB_NAME
    lines = [f"{APP_TITLE} {buildinfo.current().summary()}", ""]
    lines += ["Components:"] + [f"  {name}: {version}" for name, version in component_versions()]
    lines += [
        "",
        "System:",
        f"  OS: {platform.platform()}",
        f"  machine: {platform.machine()}",
        f"  Python executable: {sys.executable}",
        f"  frozen bundle: {'yes' if getattr(sys, 'frozen', False) else 'no'}",
        f"  locale: {'.'.join(filter(None, locale.getlocale())) or 'C'}",
    ]
    lines += [
        "",
        "Paths:",
        f"  data dir: {data}",
        f"  library: {data / LIBRARY_DIRNAME}",
        f"  database: {_file_note(database if database.exists() else None, 'not created yet')}",
        f"  log file: {_file_note(log_path())}",
    ]
    api_base = os.environ.get(config.ENV_API_BASE)
    lines += [
        "",
        "Environment:",
        f"  {config.ENV_API_KEY}: {'set' if config.env_api_key() else 'not set'}",
        f"  {config.ENV_API_BASE}: {_without_userinfo(api_base) if api_base else 'not set'}",
        f"  {config.ENV_DATA_DIR}: {'set' if os.environ.get(config.ENV_DATA_DIR) else 'not set'}",
    ]
    lines += ["", "Keyring:"] + _keyring_lines(keyring_timeout)
    if extra:
        lines += ["", "Application:"] + [f"  {line}" for line in _format_extra(extra)]
    errors = recent_errors()
    lines += ["", f"Recent warnings and errors ({len(errors)}):"]
    lines += [f"  {line}" for entry in errors for line in entry.splitlines()] or ["  none"]
    return redact("\n".join(lines) + "\n")


# -- uncaught exceptions --------------------------------------------------------------------------

ShowCrash = Callable[[str, str], None]
_previous_hooks: list[tuple[Callable[..., object], Callable[..., object]]] = []
crash_log = logging.getLogger("wan27.crash")


def describe_exception(
    kind: type[BaseException], value: BaseException | None, tb: TracebackType | None
) -> tuple[str, str]:
    """(one-line summary, full traceback), both redacted."""
    details = redact("".join(traceback.format_exception(kind, value, tb)))
    text = str(value) if value is not None else ""
    first = text.strip().splitlines()[0] if text.strip() else ""
    summary = redact(f"{kind.__name__}: {first}" if first else kind.__name__)
    return summary[:500], details


def report_exception(
    kind: type[BaseException], value: BaseException | None, tb: TracebackType | None, show: ShowCrash | None = None
) -> tuple[str, str]:
    """Log an uncaught exception (redacted) and pass it to `show`. Returns (summary, details)."""
    _ensure_recent_handler()
    summary, details = describe_exception(kind, value, tb)
    crash_log.critical(
        "Unhandled exception in thread %s: %s\n%s", threading.current_thread().name, summary, details.rstrip()
    )
    if show is not None:
        try:
            show(summary, details)
        except Exception:  # noqa: BLE001 - the reporter itself failed; log it instead of recursing into the hook
            crash_log.exception("The crash report could not be shown")
    return summary, details


def install_excepthook(show: ShowCrash | None = None) -> None:
    """Route uncaught exceptions of every thread to the log and to `show(summary, details)`.

    `show` may be called from any thread; a GUI must marshal it to the UI thread (use
    `ui.dialogs.crash.install_gui_excepthook`). KeyboardInterrupt goes to the previous hook, and a
    thread's SystemExit is ignored like Python's default does. Installing again replaces `show`.
    """
    if not _previous_hooks:
        _previous_hooks.append((sys.excepthook, threading.excepthook))
    previous_sys, previous_thread = _previous_hooks[0]

    def sys_hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous_sys(kind, value, tb)
            return
        report_exception(kind, value, tb, show)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if issubclass(args.exc_type, SystemExit):
            return
        if issubclass(args.exc_type, KeyboardInterrupt):
            previous_thread(args)
            return
        report_exception(args.exc_type, args.exc_value, args.exc_traceback, show)

    sys.excepthook = sys_hook
    threading.excepthook = thread_hook


def uninstall_excepthook() -> None:
    """Put back the hooks that were there before the first `install_excepthook`."""
    if _previous_hooks:
        previous_sys, previous_thread = _previous_hooks.pop()
        sys.excepthook = previous_sys
        threading.excepthook = previous_thread
