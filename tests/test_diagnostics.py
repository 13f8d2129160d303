"""Diagnostics: the redacted rotating log, recent errors, the bug-report text and the excepthook."""

from __future__ import annotations

import base64
import logging
import platform
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import keyring
import pytest

from wan27_desktop import __version__, diagnostics, keys, redaction

KEY = "sk-diag0test0KEY0abcdefgh12345678"  # recognisable fake; the env var carries it
GATEWAY_TOKEN = "gw/tok+en=ZQ9XyK2mLp"  # registered, not key-shaped, has URL-unsafe characters
BEARER_ONLY = "opaqueAccessToken0123456789"  # neither registered nor key-shaped: only 'Bearer' marks it
SECRET_FORMS = [KEY, GATEWAY_TOKEN, quote(GATEWAY_TOKEN, safe=""), BEARER_ONLY, base64.b64encode(KEY.encode()).decode()]


@pytest.fixture
def fresh_diagnostics(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Module state and logger handlers as if the app had just started; everything undone after."""
    loggers = [logging.getLogger(name) for name in diagnostics.LOGGER_NAMES]
    saved = [(lg, lg.level, list(lg.handlers)) for lg in loggers]
    for lg in loggers:
        lg.handlers = [h for h in lg.handlers if not (h.get_name() or "").startswith("wan27-diagnostics")]
    monkeypatch.setattr(redaction, "_secrets", set())
    monkeypatch.setattr(redaction, "_compiled", (frozenset(), None))
    monkeypatch.setattr(diagnostics, "_recent", diagnostics._RecentErrors())
    monkeypatch.setattr(diagnostics, "_state", {"log_path": None, "data_dir": None})
    monkeypatch.setattr(diagnostics, "_previous_hooks", [])
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    yield
    for lg, level, handlers in saved:
        for handler in lg.handlers:
            if handler not in handlers:
                handler.close()
        lg.handlers = handlers
        lg.setLevel(level)


@pytest.fixture
def key_in_env(monkeypatch: pytest.MonkeyPatch, fresh_diagnostics: None) -> str:
    monkeypatch.setenv("DASHSCOPE_API_KEY", KEY)
    diagnostics.register_secret(GATEWAY_TOKEN)
    return KEY


def all_log_text(data_dir: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((data_dir / "logs").glob("wan27.log*")))


def assert_no_secret(text: str) -> None:
    leaked = [form for form in SECRET_FORMS if form in text]
    assert not leaked, f"secret forms leaked: {leaked}"


# -- redaction in the log file --------------------------------------------------------------------


def test_key_logged_every_way_never_reaches_the_file(key_in_env: str, tmp_path: Path) -> None:
    path = diagnostics.setup_logging(tmp_path)
    log = logging.getLogger("wan27.api")
    other_tree = logging.getLogger("wan27_desktop.keys")
    log.info(f"case-fstring key={KEY}")
    log.info("case-args key=%s token=%s", KEY, GATEWAY_TOKEN)
    log.info("case-dict-args %(key)s", {"key": KEY})
    log.info("case-header %s", {"Authorization": f"Bearer {BEARER_ONLY}", "Accept": "application/json"})
    log.info("case-urlencoded https://gw.example/v1?token=%s", quote(GATEWAY_TOKEN, safe=""))
    log.info("case-base64 basic=%s", base64.b64encode(f"user:{KEY}".encode()).decode())
    log.info("case-base64-alone %s", base64.b64encode(KEY.encode()).decode())
    other_tree.warning("case-other-tree %s", KEY)
    try:
        raise ValueError(f"case-exception bad key {KEY}")
    except ValueError:
        log.exception("case-exception-message %s", KEY)
    log.warning("case-stack %s", KEY, stack_info=True)
    log.info("case-extra", extra={"api_key": KEY})

    text = all_log_text(tmp_path)
    assert path == tmp_path / "logs" / "wan27.log"
    for case in (
        "fstring",
        "args",
        "dict-args",
        "header",
        "urlencoded",
        "base64",
        "base64-alone",
        "other-tree",
        "exception-message",
        "exception bad key",
        "stack",
        "extra",
    ):
        assert f"case-{case}" in text, f"line {case!r} was not written at all"
    assert "Traceback (most recent call last)" in text
    assert_no_secret(text)
    assert text.count(diagnostics.REDACTED) >= 12


def test_extra_attributes_are_redacted_before_other_handlers_see_the_record(key_in_env: str, tmp_path: Path) -> None:
    diagnostics.setup_logging(tmp_path)
    seen: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record)

    root_handler = Keep()
    logging.getLogger().addHandler(root_handler)
    try:
        logging.getLogger("wan27.jobs").warning("with extra", extra={"api_key": KEY, "request": {"k": KEY}})
    finally:
        logging.getLogger().removeHandler(root_handler)
    assert len(seen) == 1
    record = seen[0]
    assert record.api_key == diagnostics.REDACTED  # type: ignore[attr-defined]
    assert_no_secret(repr(vars(record)))
    assert record.getMessage() == "with extra"


def test_key_shaped_text_is_redacted_without_registration(fresh_diagnostics: None) -> None:
    unregistered = "sk-0123456789abcdefABCDEF"
    assert unregistered not in diagnostics.redact(f"oops {unregistered} end")
    assert diagnostics.redact(f"oops {unregistered} end") == f"oops sk-{diagnostics.REDACTED} end"


def test_ordinary_text_is_left_alone(fresh_diagnostics: None) -> None:
    text = (
        "task-1234567890abcdef risk-assessment-framework request_id=7a1b2c3d-0000 "
        "sk-short authorization failed for region sg"
    )
    assert diagnostics.redact(text) == text


def test_short_secrets_are_not_registered(fresh_diagnostics: None) -> None:
    diagnostics.register_secret("abc")
    assert diagnostics.redact("abc abcdef") == "abc abcdef"


def test_non_bearer_authorization_values_are_redacted(fresh_diagnostics: None) -> None:
    assert diagnostics.redact("Authorization: Basic dXNlcjpwYXNz") == f"Authorization: {diagnostics.REDACTED}"
    assert diagnostics.redact("proxy-authorization=abc123") == f"proxy-authorization={diagnostics.REDACTED}"


# -- rotation and idempotence ---------------------------------------------------------------------


def test_log_rotates_at_the_size_limit_and_keeps_the_backup_count(key_in_env: str, tmp_path: Path) -> None:
    diagnostics.setup_logging(tmp_path, max_bytes=2_000, backups=2)
    log = logging.getLogger("wan27.app")
    for i in range(200):
        log.info("line %04d %s", i, KEY)
    logs = tmp_path / "logs"
    assert (logs / "wan27.log.1").is_file()
    assert (logs / "wan27.log.2").is_file()
    assert not (logs / "wan27.log.3").exists()
    assert all(p.stat().st_size <= 2_000 for p in logs.glob("wan27.log*"))
    assert "line 0199" in (logs / "wan27.log").read_text(encoding="utf-8")
    assert_no_secret(all_log_text(tmp_path))


def test_setup_twice_adds_no_second_handler(fresh_diagnostics: None, tmp_path: Path) -> None:
    first = diagnostics.setup_logging(tmp_path)
    second = diagnostics.setup_logging(tmp_path, level=logging.DEBUG)
    assert first == second
    for name in diagnostics.LOGGER_NAMES:
        handlers = [h.get_name() for h in logging.getLogger(name).handlers]
        assert handlers.count("wan27-diagnostics-file") == 1
        assert handlers.count("wan27-diagnostics-recent") == 1
    logging.getLogger("wan27.api").debug("only-once")
    assert all_log_text(tmp_path).count("only-once") == 1


def test_setup_with_another_data_dir_moves_the_log(fresh_diagnostics: None, tmp_path: Path) -> None:
    diagnostics.setup_logging(tmp_path / "a")
    diagnostics.setup_logging(tmp_path / "b")
    logging.getLogger("wan27.app").info("after-move")
    assert "after-move" in all_log_text(tmp_path / "b")
    assert "after-move" not in all_log_text(tmp_path / "a")
    assert diagnostics.log_path() == tmp_path / "b" / "logs" / "wan27.log"


def test_unwritable_log_folder_keeps_logging_in_memory(fresh_diagnostics: None, tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    diagnostics.setup_logging(blocker)
    assert diagnostics.log_path() is None
    assert any("Cannot write the log file" in line for line in diagnostics.recent_errors())


def test_default_data_dir_comes_from_config(fresh_diagnostics: None, isolated_environment: Path) -> None:
    assert diagnostics.setup_logging() == isolated_environment / "logs" / "wan27.log"


# -- recent errors --------------------------------------------------------------------------------


def test_recent_errors_keeps_warnings_and_up_redacted(key_in_env: str, tmp_path: Path) -> None:
    diagnostics.setup_logging(tmp_path)
    log = logging.getLogger("wan27.api")
    log.info("info-not-kept")
    log.warning("warn-kept %s", KEY)
    log.error("error-kept")
    recent = diagnostics.recent_errors()
    assert [("warn-kept" in r, "error-kept" in r) for r in recent] == [(True, False), (False, True)]
    assert_no_secret("\n".join(recent))
    assert len(diagnostics.recent_errors(1)) == 1 and "error-kept" in diagnostics.recent_errors(1)[0]


# -- the report -----------------------------------------------------------------------------------


def test_diagnostic_info_has_versions_paths_backend_and_never_the_key(key_in_env: str, tmp_path: Path) -> None:
    import PySide6

    log_file = diagnostics.setup_logging(tmp_path)
    logging.getLogger("wan27.api").error("upload failed for %s", KEY)
    text = diagnostics.diagnostic_info(extra={"Region": "sg", "Library": {"images": 12}})
    for expected in (
        f"Wan 2.7 Desktop {__version__}",
        platform.python_version(),
        sqlite3.sqlite_version,
        httpx.__version__,
        PySide6.__version__,
        str(tmp_path),
        str(log_file),
        type(keyring.get_keyring()).__name__,
        "key for sg: environment",
        keys.mask(KEY),
        "DASHSCOPE_API_KEY: set",
        "Region: sg",
        "images: 12",
        "upload failed for",
    ):
        assert expected in text, expected
    assert_no_secret(text)


def test_diagnostic_info_waits_only_so_long_for_a_hung_keyring(
    fresh_diagnostics: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def hung() -> tuple[bool, str]:
        release.wait(10)
        return True, "late"

    monkeypatch.setattr(keys, "keyring_available", hung)
    try:
        text = diagnostics.diagnostic_info(keyring_timeout=0.2)
    finally:
        release.set()
    assert "no answer from the keyring within 0.2 s" in text


def test_diagnostic_info_hides_credentials_in_a_custom_endpoint(
    fresh_diagnostics: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAN27_API_BASE", "https://alice:hunter2secret@gw.example:8443/api/v1")
    text = diagnostics.diagnostic_info()
    assert "hunter2secret" not in text and "alice" not in text
    assert f"https://{diagnostics.REDACTED}@gw.example:8443/api/v1" in text


def test_component_versions_names_every_component(fresh_diagnostics: None) -> None:
    names = [name for name, _version in diagnostics.component_versions()]
    assert names == ["Python", "Qt", "PySide6", "httpx", "keyring", "platformdirs", "SQLite"]
    assert dict(diagnostics.component_versions())["SQLite"] == sqlite3.sqlite_version


# -- excepthook -----------------------------------------------------------------------------------


def raised(exc: BaseException) -> tuple[type[BaseException], BaseException, object]:
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001 - building exc_info for the hook under test
        return type(caught), caught, caught.__traceback__


def test_excepthook_logs_redacted_and_calls_show(key_in_env: str, tmp_path: Path) -> None:
    diagnostics.setup_logging(tmp_path)
    shown: list[tuple[str, str]] = []
    diagnostics.install_excepthook(lambda summary, details: shown.append((summary, details)))
    sys.excepthook(*raised(RuntimeError(f"exploded with {KEY}")))  # type: ignore[arg-type]
    assert len(shown) == 1
    summary, details = shown[0]
    assert summary.startswith("RuntimeError: exploded with")
    assert "Traceback (most recent call last)" in details and "test_diagnostics.py" in details
    log_text = all_log_text(tmp_path)
    assert "Unhandled exception in thread MainThread" in log_text and "exploded with" in log_text
    assert_no_secret(summary + details + log_text)


def test_thread_exception_is_logged_and_shown_once(key_in_env: str, tmp_path: Path) -> None:
    diagnostics.setup_logging(tmp_path)
    shown: list[str] = []
    diagnostics.install_excepthook(lambda summary, details: shown.append(summary))

    def work() -> None:
        raise OSError(f"disk said no to {KEY}")

    worker = threading.Thread(target=work, name="pool-worker-7")
    worker.start()
    worker.join()
    assert len(shown) == 1 and shown[0].startswith("OSError: disk said no")
    assert "Unhandled exception in thread pool-worker-7" in all_log_text(tmp_path)
    assert_no_secret("".join(shown) + all_log_text(tmp_path))


def test_keyboard_interrupt_goes_to_the_previous_hook(fresh_diagnostics: None) -> None:
    previous: list[type[BaseException]] = []
    sys.excepthook = lambda kind, value, tb: previous.append(kind)
    shown: list[str] = []
    diagnostics.install_excepthook(lambda summary, details: shown.append(summary))
    sys.excepthook(*raised(KeyboardInterrupt()))  # type: ignore[arg-type]
    assert previous == [KeyboardInterrupt] and shown == []


def test_system_exit_in_a_thread_is_not_a_crash(fresh_diagnostics: None) -> None:
    shown: list[str] = []
    diagnostics.install_excepthook(lambda summary, details: shown.append(summary))
    worker = threading.Thread(target=sys.exit)
    worker.start()
    worker.join()
    assert shown == []


def test_a_failing_show_is_logged_not_recursed(fresh_diagnostics: None, tmp_path: Path) -> None:
    diagnostics.setup_logging(tmp_path)

    def broken_show(summary: str, details: str) -> None:
        raise LookupError("dialog broke")

    diagnostics.install_excepthook(broken_show)
    sys.excepthook(*raised(ValueError("first")))  # type: ignore[arg-type]
    text = all_log_text(tmp_path)
    assert "ValueError: first" in text
    assert "The crash report could not be shown" in text and "LookupError: dialog broke" in text


def test_uninstall_restores_the_previous_hooks(fresh_diagnostics: None) -> None:
    before = (sys.excepthook, threading.excepthook)
    diagnostics.install_excepthook()
    assert sys.excepthook is not before[0]
    diagnostics.uninstall_excepthook()
    assert (sys.excepthook, threading.excepthook) == before


def test_records_are_redacted_for_root_handlers_even_without_a_log_file(key_in_env: str, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    diagnostics.setup_logging(blocker)  # no file handler: only the in-memory one redacts
    messages: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(self.format(record))

    root_handler = Keep()
    logging.getLogger().addHandler(root_handler)
    try:
        logging.getLogger("wan27.api").error("to stderr %s", KEY)
    finally:
        logging.getLogger().removeHandler(root_handler)
    assert messages == [f"to stderr {diagnostics.REDACTED}"]
