"""App settings: a small typed wrapper over an INI file in the data dir.

Stored with QSettings (QtCore only: this module is imported by the UI and the app, never by
`api/` or `library/`) in INI format at `config.data_dir()/settings.ini`, so `WAN27_DATA_DIR`
isolates tests and portable installs. Every value read back is validated: a corrupt or
hand-edited entry falls back to its default instead of crashing the app.

The API key is NEVER stored here (see `keys.py`): only the region and endpoint it is used with.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSettings

from wan27_desktop import config
from wan27_desktop.api import endpoint
from wan27_desktop.api.constants import JOB_CONCURRENCY
from wan27_desktop.api.errors import ValidationError
from wan27_desktop.api.models import Region, RequestMode
from wan27_desktop.api.rules import MAX_TASKS_IN_PROGRESS
from wan27_desktop.private_files import make_dirs, open_new

log = logging.getLogger(__name__)

T = TypeVar("T")

SETTINGS_FILE = config.SETTINGS_FILE
MIN_CONCURRENCY = 1
MAX_CONCURRENCY = MAX_TASKS_IN_PROGRESS  # §6: 5 tasks in progress per account
DEFAULT_CONCURRENCY = JOB_CONCURRENCY
_LIBRARY_FOLDER = f"{config.LIBRARY_SECTION}/{config.LIBRARY_KEY}"
LEGACY_FIRST_RUN_KEY_PROMPT = "first_run_key_prompt"  # state blob written by 0.1's first-run prompt


class Theme(str, enum.Enum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class Language(str, enum.Enum):
    SYSTEM = "system"
    ENGLISH = "en"
    CHINESE_SIMPLIFIED = "zh_CN"


def normalise_endpoint(text: str) -> str | None:
    """A custom endpoint as stored (`api.endpoint.normalise`: the client's own rule); '' means none
    (use the region). Raises ValidationError (field 'endpoint')."""
    return endpoint.normalise(text) if text.strip() else None


def _parse_enum(kind: type[T]) -> Callable[[object], T]:
    def parse(raw: object) -> T:
        return kind(str(raw))  # type: ignore[call-arg]  # Enum lookup by value; ValueError if unknown

    return parse


def _parse_concurrency(raw: object) -> int:
    value = int(str(raw).strip())
    if not MIN_CONCURRENCY <= value <= MAX_CONCURRENCY:
        raise ValueError(f"concurrency {value} out of range")
    return value


def _parse_endpoint(raw: object) -> str | None:
    return normalise_endpoint(str(raw))


def _parse_folder(raw: object) -> Path:
    return config.parse_folder(str(raw))


def _parse_bool(raw: object) -> bool:
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise ValueError(f"not a boolean: {text}")


class AppSettings:
    """Typed access to settings.ini. Use from the UI thread (or one thread at a time)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (config.data_dir() / SETTINGS_FILE)
        make_dirs(self.path.parent)
        with contextlib.suppress(OSError):  # QSettings keeps an existing file's permissions: user-only
            os.close(open_new(self.path))
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    # -- plumbing -------------------------------------------------------------------------------

    def _get(self, key: str, parse: Callable[[object], T], default: T) -> T:
        raw = self._qs.value(key)
        if raw is None:
            return default
        try:
            return parse(raw)
        except (ValueError, TypeError, ValidationError):
            # Hand-edited or written by a newer version: keep working with the default.
            log.warning("Ignoring invalid setting %s=%r in %s", key, raw, self.path)
            return default

    def _set(self, key: str, value: object) -> None:
        if value is None:
            self._qs.remove(key)
        else:
            self._qs.setValue(key, value)

    def sync(self) -> None:
        """Write pending changes to disk now (QSettings also writes on its own, lazily)."""
        self._qs.sync()

    def status_ok(self) -> bool:
        """False when the file could not be written or parsed (see QSettings.status)."""
        return self._qs.status() == QSettings.Status.NoError

    # -- service ---------------------------------------------------------------------------------

    @property
    def region(self) -> Region:
        return self._get("service/region", _parse_enum(Region), Region.SINGAPORE)

    @region.setter
    def region(self, value: Region) -> None:
        self._set("service/region", Region(value).value)

    @property
    def custom_endpoint(self) -> str | None:
        """A base URL ending in /api/v1 used instead of the region's host, or None."""
        return self._get("service/endpoint", _parse_endpoint, None)

    @custom_endpoint.setter
    def custom_endpoint(self, value: str | None) -> None:
        self._set("service/endpoint", normalise_endpoint(value or ""))

    # -- jobs ------------------------------------------------------------------------------------

    @property
    def concurrency(self) -> int:
        return self._get("jobs/concurrency", _parse_concurrency, DEFAULT_CONCURRENCY)

    @concurrency.setter
    def concurrency(self, value: int) -> None:
        self._set("jobs/concurrency", _parse_concurrency(value))

    @property
    def request_mode(self) -> RequestMode:
        return self._get("jobs/request_mode", _parse_enum(RequestMode), RequestMode.AUTO)

    @request_mode.setter
    def request_mode(self, value: RequestMode) -> None:
        self._set("jobs/request_mode", RequestMode(value).value)

    # -- library ---------------------------------------------------------------------------------

    @property
    def library_dir(self) -> Path:
        """Where the library lives (the folder holding `library/` and `cache/`): the folder it was
        moved to, else the data dir this settings file belongs to. The `wan27` command reads the
        same entry through `config.library_root()`."""
        return self._get(_LIBRARY_FOLDER, _parse_folder, self.path.parent)

    @library_dir.setter
    def library_dir(self, value: Path | None) -> None:
        """Set only once a moved library is complete and verified (see library/move.py). None, or
        the data dir itself, removes the entry: the library is back in its default place."""
        if value is None or Path(value) == self.path.parent:
            self._set(_LIBRARY_FOLDER, None)
        else:
            self._set(_LIBRARY_FOLDER, str(_parse_folder(value)))

    @property
    def library_moved(self) -> bool:
        """True when the library lives somewhere other than the data dir."""
        return self._qs.contains(_LIBRARY_FOLDER) and self.library_dir != self.path.parent

    # -- first run -------------------------------------------------------------------------------

    @property
    def onboarding_done(self) -> bool:
        """The welcome dialog was shown and closed once (or the first-run key prompt of 0.1)."""
        if self.state_blob(LEGACY_FIRST_RUN_KEY_PROMPT):
            return True
        return self._get("first_run/onboarding_done", _parse_bool, False)

    @onboarding_done.setter
    def onboarding_done(self, value: bool) -> None:
        self._set("first_run/onboarding_done", bool(value))

    # -- appearance ------------------------------------------------------------------------------

    @property
    def theme(self) -> Theme:
        return self._get("appearance/theme", _parse_enum(Theme), Theme.SYSTEM)

    @theme.setter
    def theme(self, value: Theme) -> None:
        self._set("appearance/theme", Theme(value).value)

    @property
    def language(self) -> Language:
        return self._get("appearance/language", _parse_enum(Language), Language.SYSTEM)

    @language.setter
    def language(self, value: Language) -> None:
        self._set("appearance/language", Language(value).value)

    # -- gallery ---------------------------------------------------------------------------------

    @property
    def gallery_stack_sets(self) -> bool:
        """The gallery shows each image set as one tile (Filters ▸ Stack image sets)."""
        return self._get("gallery/stack_sets", _parse_bool, True)

    @gallery_stack_sets.setter
    def gallery_stack_sets(self, value: bool) -> None:
        self._set("gallery/stack_sets", bool(value))

    # -- window state (opaque Qt blobs) ---------------------------------------------------------

    def state_blob(self, name: str) -> bytes | None:
        """A saved QWidget/QMainWindow/QSplitter state, e.g. 'window/geometry'; None if absent."""

        def parse(raw: object) -> bytes:
            if isinstance(raw, QByteArray):
                return bytes(raw.data())
            if isinstance(raw, bytes):
                return raw
            raise TypeError("not a byte array")

        return self._get(f"state/{name}", parse, None)

    def set_state_blob(self, name: str, data: bytes | QByteArray | None) -> None:
        if isinstance(data, QByteArray):
            data = bytes(data.data())
        self._set(f"state/{name}", None if data is None else QByteArray(data))

    @property
    def window_geometry(self) -> bytes | None:
        return self.state_blob("window_geometry")

    @window_geometry.setter
    def window_geometry(self, data: bytes | QByteArray | None) -> None:
        self.set_state_blob("window_geometry", data)

    @property
    def window_state(self) -> bytes | None:
        return self.state_blob("window_state")

    @window_state.setter
    def window_state(self, data: bytes | QByteArray | None) -> None:
        self.set_state_blob("window_state", data)
