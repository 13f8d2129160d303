"""keys.py against the real OS keyring (Secret Service under `.ci/keyring-session.sh` in CI).

Run the keyring tests with:
    .ci/keyring-session.sh python -m pytest tests/test_keys.py
They skip only where no keyring backend can run (e.g. no D-Bus session); under the script
(WAN27_REQUIRE_KEYRING=1) a missing backend is a failure instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import keyring
import keyring.backend
import keyring.errors
import pytest

from wan27_desktop import keys
from wan27_desktop.api.errors import ValidationError, WanError
from wan27_desktop.api.models import Region

KEY_SG = "sk-test0sg0key0aaaaaaaaaaaa1b2c"
KEY_CN = "sk-test0cn0key0bbbbbbbbbbbb9z8y"


@pytest.fixture(autouse=True)
def no_session_keys() -> Iterator[None]:
    """Session keys are process-global; every test starts and ends without them."""
    for region in Region:
        keys.set_session_key(region, None)
    yield
    for region in Region:
        keys.set_session_key(region, None)


# real_keyring and no_keyring live in tests/conftest.py: other test files need them too.


class LockedKeyring(keyring.backend.KeyringBackend):
    """Behaves like a Secret Service whose collection stays locked (the unlock prompt dismissed)."""

    # Subclasses register themselves with keyring; never let auto-detection pick this one.
    viable = False
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


@pytest.fixture
def locked_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(LockedKeyring())
    yield
    keyring.set_keyring(previous)


# -- real keyring ------------------------------------------------------------------------------


@pytest.mark.keyring
def test_store_then_resolve_reads_the_key_back_from_the_keyring(real_keyring: None) -> None:
    keys.store_key(Region.SINGAPORE, KEY_SG)
    source = keys.resolve_key(Region.SINGAPORE)
    assert (source.key, source.origin, source.region) == (KEY_SG, "keyring", Region.SINGAPORE)


@pytest.mark.keyring
def test_keys_are_kept_per_region(real_keyring: None) -> None:
    keys.store_key(Region.SINGAPORE, KEY_SG)
    keys.store_key(Region.BEIJING, KEY_CN)
    assert keys.resolve_key(Region.SINGAPORE).key == KEY_SG
    assert keys.resolve_key(Region.BEIJING).key == KEY_CN
    assert keyring.get_password(keys.service_name(Region.BEIJING), "api-key") == KEY_CN


@pytest.mark.keyring
def test_store_strips_pasted_whitespace(real_keyring: None) -> None:
    keys.store_key(Region.SINGAPORE, f"  {KEY_SG}\n")
    assert keyring.get_password(keys.service_name(Region.SINGAPORE), keys.USERNAME) == KEY_SG


@pytest.mark.keyring
def test_clear_removes_only_that_regions_key(real_keyring: None) -> None:
    keys.store_key(Region.SINGAPORE, KEY_SG)
    keys.store_key(Region.BEIJING, KEY_CN)
    assert keys.clear_key(Region.SINGAPORE) is True
    assert keys.resolve_key(Region.SINGAPORE).origin == "none"
    assert keys.resolve_key(Region.BEIJING).key == KEY_CN


@pytest.mark.keyring
def test_clear_without_a_stored_key_reports_nothing_removed(real_keyring: None) -> None:
    assert keys.clear_key(Region.BEIJING) is False


@pytest.mark.keyring
def test_environment_variable_wins_over_the_keyring(real_keyring: None, monkeypatch: pytest.MonkeyPatch) -> None:
    keys.store_key(Region.SINGAPORE, KEY_SG)
    monkeypatch.setenv("DASHSCOPE_API_KEY", KEY_CN)
    source = keys.resolve_key(Region.SINGAPORE)
    assert (source.key, source.origin) == (KEY_CN, "environment")


@pytest.mark.keyring
def test_session_key_wins_over_the_keyring_until_a_key_is_stored(real_keyring: None) -> None:
    keys.store_key(Region.SINGAPORE, KEY_SG)
    keys.set_session_key(Region.SINGAPORE, KEY_CN)
    assert keys.resolve_key(Region.SINGAPORE).origin == "session"
    keys.store_key(Region.SINGAPORE, KEY_SG)  # storing replaces the session key
    assert keys.resolve_key(Region.SINGAPORE).origin == "keyring"


@pytest.mark.keyring
def test_keyring_available_names_the_working_backend(real_keyring: None) -> None:
    available, message = keys.keyring_available()
    assert available
    assert keyring.get_keyring().name in message


@pytest.mark.keyring
def test_nothing_logged_contains_the_key(real_keyring: None, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    keys.store_key(Region.SINGAPORE, KEY_SG)
    keys.resolve_key(Region.SINGAPORE)
    keys.clear_key(Region.SINGAPORE)
    assert caplog.records, "expected store/clear to log something (masked)"
    assert KEY_SG not in caplog.text
    assert KEY_SG[3:-4] not in caplog.text


# -- environment and session only --------------------------------------------------------------


def test_environment_key_is_used_even_without_a_keyring(no_keyring: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHSCOPE_API_KEY", f" {KEY_SG} ")
    source = keys.resolve_key(Region.BEIJING)
    assert (source.key, source.origin, source.region) == (KEY_SG, "environment", Region.BEIJING)


def test_environment_wins_over_a_session_key(monkeypatch: pytest.MonkeyPatch) -> None:
    keys.set_session_key(Region.SINGAPORE, KEY_CN)
    monkeypatch.setenv("DASHSCOPE_API_KEY", KEY_SG)
    assert keys.resolve_key(Region.SINGAPORE).origin == "environment"


def test_session_key_is_used_when_there_is_no_keyring(no_keyring: None) -> None:
    keys.set_session_key(Region.SINGAPORE, KEY_SG)
    source = keys.resolve_key(Region.SINGAPORE)
    assert (source.key, source.origin) == (KEY_SG, "session")
    assert keys.resolve_key(Region.BEIJING).origin == "none"


def test_clear_forgets_a_session_key_without_a_keyring(no_keyring: None) -> None:
    keys.set_session_key(Region.BEIJING, KEY_CN)
    assert keys.clear_key(Region.BEIJING) is True
    assert keys.resolve_key(Region.BEIJING).key is None


# -- no or broken backend ----------------------------------------------------------------------


def test_keyring_available_is_false_with_the_fail_backend(no_keyring: None) -> None:
    available, message = keys.keyring_available()
    assert not available
    assert "DASHSCOPE_API_KEY" in message


def test_keyring_available_is_false_when_the_keyring_is_locked(locked_keyring: None) -> None:
    available, message = keys.keyring_available()
    assert not available
    assert "keyring is locked" in message and "DASHSCOPE_API_KEY" in message and "KeyringLocked" not in message


def test_store_without_a_backend_raises_keyring_unavailable_with_hint(no_keyring: None) -> None:
    with pytest.raises(keys.KeyringUnavailable) as caught:
        keys.store_key(Region.SINGAPORE, KEY_SG)
    assert isinstance(caught.value, WanError)
    assert "DASHSCOPE_API_KEY" in caught.value.hint
    assert KEY_SG not in caught.value.details()


def test_store_into_a_locked_keyring_raises_keyring_unavailable(locked_keyring: None) -> None:
    with pytest.raises(keys.KeyringUnavailable, match="could not save"):
        keys.store_key(Region.SINGAPORE, KEY_SG)


def test_resolve_with_a_locked_keyring_explains_instead_of_raising(locked_keyring: None) -> None:
    source = keys.resolve_key(Region.SINGAPORE)
    assert source.origin == "none" and source.key is None
    assert source.problem is not None and "DASHSCOPE_API_KEY" in source.problem


def test_resolve_without_a_backend_says_there_is_no_keyring(no_keyring: None) -> None:
    source = keys.resolve_key(Region.SINGAPORE)
    assert source.origin == "none"
    assert source.problem is not None and "No system keyring" in source.problem


def test_clear_on_a_locked_keyring_raises_keyring_unavailable(locked_keyring: None) -> None:
    with pytest.raises(keys.KeyringUnavailable):
        keys.clear_key(Region.SINGAPORE)


# -- shape, mask, repr ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n", "sk-abc def", "sk-abc\tdef", "Bearer sk-abcdef", "sk-ключ"])
def test_malformed_keys_are_refused_without_echoing_them(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        keys.normalise_key(text)
    assert caught.value.issues[0].field == "api_key"
    if text.strip():
        assert text.strip() not in str(caught.value)


def test_session_key_refuses_a_malformed_key() -> None:
    with pytest.raises(ValidationError):
        keys.set_session_key(Region.SINGAPORE, "sk-has space")
    assert keys.resolve_key(Region.SINGAPORE).origin != "session"


@pytest.mark.parametrize(
    ("key", "masked"),
    [
        ("sk-test0sg0key0aaaaaaaaaaaa1b2c", "sk-…1b2c"),
        ("abcdefghijklmnop", "…mnop"),
        ("sk-short", "sk-…"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_shows_at_most_the_last_four_characters(key: str | None, masked: str) -> None:
    assert keys.mask(key) == masked


def test_key_source_repr_and_str_never_show_the_key() -> None:
    source = keys.KeySource(KEY_SG, "keyring", Region.SINGAPORE)
    for text in (repr(source), str(source), f"{source}", f"{source!r}", repr([source])):
        assert KEY_SG not in text
        assert KEY_SG[-4:] not in text
    assert "keyring" in repr(source) and "sg" in repr(source)


def test_key_source_masked_and_description() -> None:
    source = keys.KeySource(KEY_SG, "environment", Region.BEIJING)
    assert source.masked == "sk-…1b2c"
    assert "DASHSCOPE_API_KEY" in source.description


def test_service_names_are_per_region() -> None:
    assert keys.service_name(Region.SINGAPORE) == "wan27-desktop/sg"
    assert keys.service_name(Region.BEIJING) == "wan27-desktop/cn"
    assert keys.USERNAME == "api-key"
