"""AppSettings: typed round-trips through settings.ini, corrupt values fall back, no key inside."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray

from wan27_desktop import keys
from wan27_desktop.api.errors import ValidationError
from wan27_desktop.api.models import Region, RequestMode
from wan27_desktop.settings import AppSettings, Language, Theme, normalise_endpoint

KEY = "sk-settings0test0key0cccccc7x7x"


def reopened(settings: AppSettings) -> AppSettings:
    settings.sync()
    return AppSettings(settings.path)


def test_settings_file_lives_in_the_data_dir(isolated_environment: Path) -> None:
    settings = AppSettings()
    settings.concurrency = 3
    settings.sync()
    assert settings.path == isolated_environment / "settings.ini"
    assert "concurrency=3" in settings.path.read_text()


def test_defaults_without_a_file(isolated_environment: Path) -> None:
    s = AppSettings()
    assert s.region is Region.SINGAPORE
    assert s.custom_endpoint is None
    assert s.concurrency == 2
    assert s.request_mode is RequestMode.AUTO
    assert s.library_dir == isolated_environment
    assert s.theme is Theme.SYSTEM
    assert s.language is Language.SYSTEM
    assert s.window_geometry is None and s.window_state is None


def test_every_value_round_trips_through_the_file(tmp_path: Path) -> None:
    s = AppSettings()
    s.region = Region.BEIJING
    s.custom_endpoint = "https://gateway.example.com/api/v1/"
    s.concurrency = 5
    s.request_mode = RequestMode.ASYNC
    s.library_dir = tmp_path / "My Library"
    s.theme = Theme.DARK
    s.language = Language.CHINESE_SIMPLIFIED
    s.window_geometry = QByteArray(b"\x01\xd9\xd0\xcb\x00\x03\x00\x00")
    s.window_state = b"\x00\xff\x00state"
    s.set_state_blob("splitter/workspace", b"\x00\x00\x00\xffsplit")

    t = reopened(s)
    assert t.region is Region.BEIJING
    assert t.custom_endpoint == "https://gateway.example.com/api/v1"
    assert t.concurrency == 5
    assert t.request_mode is RequestMode.ASYNC
    assert t.library_dir == tmp_path / "My Library"
    assert t.theme is Theme.DARK
    assert t.language is Language.CHINESE_SIMPLIFIED
    assert t.window_geometry == b"\x01\xd9\xd0\xcb\x00\x03\x00\x00"
    assert t.window_state == b"\x00\xff\x00state"
    assert t.state_blob("splitter/workspace") == b"\x00\x00\x00\xffsplit"


def test_clearing_the_endpoint_removes_it() -> None:
    s = AppSettings()
    s.custom_endpoint = "http://127.0.0.1:8000/api/v1"
    s = reopened(s)
    s.custom_endpoint = ""
    assert reopened(s).custom_endpoint is None
    assert "endpoint" not in s.path.read_text()


HAND_EDITED = """\
[service]
region=mars
endpoint=http://evil.example.com/api/v1

[jobs]
concurrency=99
request_mode=sometimes

[library]
folder=relative/path

[appearance]
theme=purple
language=klingon

[state]
window_geometry=not a byte array
"""


def test_hand_edited_invalid_values_fall_back_to_defaults(isolated_environment: Path) -> None:
    isolated_environment.mkdir(parents=True, exist_ok=True)
    (isolated_environment / "settings.ini").write_text(HAND_EDITED)
    s = AppSettings()
    assert s.region is Region.SINGAPORE
    assert s.custom_endpoint is None  # plain http to a remote host is never accepted
    assert s.concurrency == 2
    assert s.request_mode is RequestMode.AUTO
    assert s.library_dir == isolated_environment
    assert s.theme is Theme.SYSTEM
    assert s.language is Language.SYSTEM
    assert s.window_geometry is None


@pytest.mark.parametrize("value", ["0", "-1", "6", "two", "", "2.5"])
def test_concurrency_outside_one_to_five_falls_back_to_two(isolated_environment: Path, value: str) -> None:
    isolated_environment.mkdir(parents=True, exist_ok=True)
    (isolated_environment / "settings.ini").write_text(f"[jobs]\nconcurrency={value}\n")
    assert AppSettings().concurrency == 2


def test_a_binary_garbage_file_does_not_crash(isolated_environment: Path) -> None:
    isolated_environment.mkdir(parents=True, exist_ok=True)
    (isolated_environment / "settings.ini").write_bytes(b"\x00\xff\xfe[[[=\n\x89PNG\r\n\x1a\n" * 50)
    s = AppSettings()
    assert s.region is Region.SINGAPORE
    assert s.concurrency == 2


def test_setters_refuse_invalid_values() -> None:
    s = AppSettings()
    with pytest.raises(ValueError):
        s.concurrency = 6
    with pytest.raises(ValidationError):
        s.custom_endpoint = "http://gateway.example.com/api/v1"
    with pytest.raises(ValueError):
        s.theme = "purple"  # type: ignore[assignment]
    assert reopened(s).concurrency == 2


@pytest.mark.parametrize(
    "url",
    [
        "https://dashscope-intl.aliyuncs.com/api/v1",
        "https://gw.example.com:8443/api/v1",
        "http://127.0.0.1:8080/api/v1",
        "http://localhost:8080/api/v1",
        "http://[::1]:9000/api/v1",
    ],
)
def test_endpoint_accepts_https_and_local_http(url: str) -> None:
    assert normalise_endpoint(f"  {url}/ ") == url


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://gateway.example.com/api/v1", "only allowed for localhost"),
        ("http://10.0.0.5/api/v1", "only allowed for localhost"),
        ("ftp://example.com/api/v1", "full URL"),
        ("dashscope.aliyuncs.com/api/v1", "full URL"),
        ("https://user:pw@example.com/api/v1", "credentials"),
        ("https://example.com/api/v1?key=1", "query"),
        ("https://example.com:99999/api/v1", "not a valid URL"),
        ("https://exa mple.com/api/v1", "spaces"),
    ],
)
def test_endpoint_refusals_say_why(url: str, why: str) -> None:
    with pytest.raises(ValidationError, match=why) as caught:
        normalise_endpoint(url)
    assert caught.value.issues[0].field == "endpoint"


def test_session_key_never_reaches_the_settings_file() -> None:
    s = AppSettings()
    keys.set_session_key(Region.SINGAPORE, KEY)
    try:
        s.region = Region.SINGAPORE
        s.concurrency = 4
        s.sync()
        text = s.path.read_bytes()
    finally:
        keys.set_session_key(Region.SINGAPORE, None)
    assert KEY.encode() not in text and KEY[3:-4].encode() not in text


@pytest.mark.keyring
@pytest.mark.usefixtures("real_keyring")
def test_stored_key_never_reaches_the_settings_file() -> None:
    s = AppSettings()
    keys.store_key(Region.BEIJING, KEY)
    s.region = Region.BEIJING
    s.custom_endpoint = "https://gateway.example.com/api/v1"
    s.sync()
    assert keys.resolve_key(Region.BEIJING).key == KEY
    data_dir = s.path.parent
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert KEY[3:-4].encode() not in path.read_bytes(), path


# -- where the library lives ---------------------------------------------------------------------

AWKWARD_FOLDERS = [
    "/srv/Wan Library",
    "/media/u/My Pics, 2024; a=b",
    '/home/u/"quoted" \\ back',
    "/home/u/图片/万相",
    "/home/u/ leading and trailing ",
    "/home/u/tab\there",
    "/home/u/@at",
    "/home/u/x\x01y",
]


@pytest.mark.parametrize("folder", AWKWARD_FOLDERS)
def test_the_qt_free_reader_agrees_with_qsettings(isolated_environment: Path, folder: str) -> None:
    """`wan27` (no Qt) must find a moved library exactly where the app put it."""
    from wan27_desktop import config

    s = AppSettings()
    s.library_dir = Path(folder)
    s.sync()
    assert AppSettings(s.path).library_dir == Path(folder)
    assert config.read_library_folder(s.path) == Path(folder)
    assert config.library_root() == Path(folder)


def test_the_library_is_in_the_data_dir_until_it_is_moved(isolated_environment: Path, tmp_path: Path) -> None:
    from wan27_desktop import config

    s = AppSettings()
    assert s.library_dir == isolated_environment and not s.library_moved
    assert config.library_root() == isolated_environment
    s.library_dir = tmp_path / "elsewhere"
    s.sync()
    assert reopened(s).library_moved
    assert config.library_root() == tmp_path / "elsewhere"
    # Moving back home removes the entry instead of pinning the data dir's current path.
    s.library_dir = isolated_environment
    s.sync()
    assert "folder" not in s.path.read_text()
    assert config.library_root() == isolated_environment


def test_another_data_dir_has_its_own_library(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """WAN27_DATA_DIR / --data-dir still isolate everything: the setting lives in that data dir."""
    from wan27_desktop import config

    moved = AppSettings()
    moved.library_dir = tmp_path / "moved"
    moved.sync()
    monkeypatch.setenv("WAN27_DATA_DIR", str(tmp_path / "portable"))
    assert config.library_root() == tmp_path / "portable"
    assert AppSettings().library_dir == tmp_path / "portable"


@pytest.mark.parametrize(
    "line", ["folder=relative/path", "folder=", "folder=@Variant(\\0\\0\\0\\x7f)", "folder=/a, /b"]
)
def test_an_invalid_library_folder_means_the_data_dir(isolated_environment: Path, line: str) -> None:
    from wan27_desktop import config

    isolated_environment.mkdir(parents=True, exist_ok=True)
    (isolated_environment / "settings.ini").write_text(f"[library]\n{line}\n")
    assert config.library_root() == isolated_environment
    assert AppSettings().library_dir == isolated_environment


def test_onboarding_is_remembered(isolated_environment: Path) -> None:
    s = AppSettings()
    assert not s.onboarding_done
    s.onboarding_done = True
    assert reopened(s).onboarding_done


def test_the_first_run_key_prompt_of_0_1_counts_as_onboarding_done(isolated_environment: Path) -> None:
    s = AppSettings()
    s.set_state_blob("first_run_key_prompt", b"1")
    assert reopened(s).onboarding_done
