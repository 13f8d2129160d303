"""Shared fixtures: offscreen Qt, an isolated data dir per test, and the fake DashScope server."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_stop_secret_service = None


def pytest_sessionstart(session: pytest.Session) -> None:
    """Give keyring tests a real, unlocked Secret Service where the machine has none running."""
    global _stop_secret_service
    from wan27_desktop import keys

    if os.environ.get("CI"):
        # On CI a keyring test must run, never skip.
        os.environ.setdefault("WAN27_REQUIRE_KEYRING", "1")
    if keys.keyring_available()[0]:
        return
    from tests.keyring_session import start_private_secret_service

    _stop_secret_service = start_private_secret_service()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _stop_secret_service is not None:
        _stop_secret_service()


@pytest.fixture(scope="session")
def qapp(qapp):  # noqa: F811 - pytest-qt's fixture, extended
    """pytest-qt's QApplication, with garbage collected on the UI thread as in the app (gc_policy)."""
    from wan27_desktop.gc_policy import collect_on_ui_thread

    collect_on_ui_thread(qapp)
    return qapp


@pytest.fixture(autouse=True)
def _collect_garbage_between_tests() -> Iterator[None]:
    """Once the QApplication exists automatic collection is off (gc_policy); a test that runs no
    event loop gets the collections it would have had, on this (the UI) thread, at its end."""
    yield
    gc_policy = sys.modules.get("wan27_desktop.gc_policy")  # loaded with the QApplication, not before
    collector = gc_policy.installed() if gc_policy is not None else None
    if collector is not None:
        collector.collect_due()


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir and no key or endpoint from the developer's shell."""
    data = tmp_path / "wan27-data"
    monkeypatch.setenv("WAN27_DATA_DIR", str(data))
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    monkeypatch.delenv("WAN27_API_BASE", raising=False)
    return data


@pytest.fixture
def real_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's real keyring, under a throw-away service name (also exported as
    WAN27_KEYRING_SERVICE for subprocesses), so a developer's own key is never touched. Skips when
    no backend can run here, and fails instead when WAN27_REQUIRE_KEYRING is set (CI)."""
    import contextlib
    import uuid

    import keyring
    import keyring.errors

    from wan27_desktop import keys
    from wan27_desktop.api.models import Region

    available, why = keys.keyring_available()
    if not available:
        if os.environ.get("WAN27_REQUIRE_KEYRING"):
            pytest.fail(f"WAN27_REQUIRE_KEYRING is set but the keyring does not work: {why}")
        pytest.skip(f"no keyring backend can run here ({why}); use .ci/keyring-session.sh")
    prefix = f"wan27-desktop-test-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(keys, "SERVICE_PREFIX", prefix)
    monkeypatch.setenv("WAN27_KEYRING_SERVICE", prefix)
    yield
    for region in Region:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(keys.service_name(region), keys.USERNAME)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """The 'no backend at all' situation (keyring's fail backend), restored afterwards."""
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def fake_dashscope() -> Iterator[object]:
    """A running fake DashScope server on 127.0.0.1 (see tests/fake_dashscope)."""
    from tests.fake_dashscope import FakeDashScope

    with FakeDashScope() as fake:
        yield fake
