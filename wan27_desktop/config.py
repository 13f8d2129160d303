"""Where things live and which service to talk to, from the environment (documented in README).

- `DASHSCOPE_API_KEY`: used in place of the keyring, never saved.
- `WAN27_API_BASE`: a custom endpoint (a gateway, or the fake server for an offline demo).
- `WAN27_DATA_DIR`: where the library, settings and caches live.
"""

from __future__ import annotations

import os
from pathlib import Path

from .api.models import Region

APP_NAME = "Wan27Desktop"
ENV_API_KEY = "DASHSCOPE_API_KEY"
ENV_API_BASE = "WAN27_API_BASE"
ENV_DATA_DIR = "WAN27_DATA_DIR"


def data_dir() -> Path:
    """The per-user data folder (library, settings, caches, logs); created on first use."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs  # deferred: only needed when no override is set

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def api_base(region: Region, override: str | None = None) -> str:
    """The base URL ending in /api/v1: an explicit override, then WAN27_API_BASE, then the region's host."""
    base = override or os.environ.get(ENV_API_BASE) or region.base_url
    return base.rstrip("/")


def env_api_key() -> str | None:
    key = os.environ.get(ENV_API_KEY, "").strip()
    return key or None
