"""The status bar bound to the workspace's service state: region and a custom endpoint's host,
key origin, spend and connectivity follow the model."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from wan27_desktop.api.models import Region
from wan27_desktop.ui.window.status_bar import AppStatusBar
from wan27_desktop.workspace.service import Connectivity, ServiceState


@pytest.fixture
def bar(qtbot: Any) -> AppStatusBar:
    widget = AppStatusBar()
    qtbot.addWidget(widget)
    return widget


def test_the_regions_own_endpoint_shows_no_host(bar: AppStatusBar) -> None:
    bar.bind(ServiceState(Region.SINGAPORE))
    assert bar.region_label.text() == "Region: Singapore (International)"


def test_a_custom_endpoint_shows_its_host_and_follows_region_changes(bar: AppStatusBar) -> None:
    service = ServiceState(Region.SINGAPORE, "https://gateway.example.com:8443/api/v1")
    bar.bind(service)
    assert bar.region_label.text() == "Region: Singapore (International) · gateway.example.com:8443"
    assert "https://gateway.example.com:8443/api/v1" in bar.region_label.toolTip()
    service.set_region(Region.BEIJING, None)
    assert bar.region_label.text() == "Region: China (Beijing)"


def test_connectivity_reads_not_checked_yet_until_the_service_answers(bar: AppStatusBar) -> None:
    service = ServiceState(Region.SINGAPORE)
    bar.bind(service)
    assert bar.connectivity_label.text() == "Not checked yet"
    service.connectivity = Connectivity.ONLINE
    assert "Online" in bar.connectivity_label.text()
    service.connectivity = Connectivity.OFFLINE
    assert "Offline" in bar.connectivity_label.text()


def test_key_origin_and_spend_follow_the_model(bar: AppStatusBar) -> None:
    service = ServiceState(Region.SINGAPORE)
    bar.bind(service)
    assert bar.key_label.text() == "Key: checking…" and bar.spend_label.text() == "Today: –"
    service.key_origin = "keyring"
    service.spend_today = Decimal("0.562065")
    assert bar.key_label.text() == "Key: keyring"
    assert bar.spend_label.text() == "Today: ¥0.56"
