"""Where requests go and what is known about that: region, endpoint, key origin, connectivity and
today's spend, as observable properties the status bar (and anything else) binds to."""

from __future__ import annotations

import enum
from decimal import Decimal
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from wan27_desktop import config
from wan27_desktop.api.models import Region
from wan27_desktop.workspace.properties import ObservableProperties, Property


class Connectivity(str, enum.Enum):
    """Last known from what the service answered; the app never pings the network on its own."""

    NOT_CHECKED = "not-checked"  # no request and no key check yet in this session
    ONLINE = "online"
    OFFLINE = "offline"


class ServiceState(QObject, ObservableProperties):
    region = Property(Region.SINGAPORE)
    endpoint = Property(Region.SINGAPORE.base_url)  # the base URL requests go to (ends in /api/v1)
    key_origin = Property[str | None](None)  # keys.KeySource.origin; None while it is looked up
    key_problem = Property[str | None](None)
    connectivity = Property(Connectivity.NOT_CHECKED)
    spend_today = Property[Decimal | None](None)  # None until the ledger has been read

    region_changed = Signal(object)
    endpoint_changed = Signal(object)
    key_origin_changed = Signal(object)
    key_problem_changed = Signal(object)
    connectivity_changed = Signal(object)
    spend_today_changed = Signal(object)

    def __init__(self, region: Region, custom_endpoint: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.custom_endpoint = custom_endpoint
        self.region = region
        self.endpoint = config.api_base(region, custom_endpoint)

    def set_region(self, region: Region, custom_endpoint: str | None = None) -> None:
        self.custom_endpoint = custom_endpoint
        self.region = region
        self.endpoint = config.api_base(region, custom_endpoint)

    @property
    def custom_host(self) -> str | None:
        """The endpoint's host when it is not the region's own (a gateway, WAN27_API_BASE, the fake)."""
        return custom_host(self.region, self.endpoint)


def custom_host(region: Region, endpoint: str) -> str | None:
    if endpoint.rstrip("/") == region.base_url.rstrip("/"):
        return None
    parts = urlsplit(endpoint)
    return parts.netloc or endpoint
