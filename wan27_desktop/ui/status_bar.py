"""The status bar: region, where the key comes from (never the key), today's spend, connectivity."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from ..api.models import Region
from ..api.pricing import format_cny
from .style import Tone, tone_color

_ORIGIN_TEXT = {
    "environment": ("Key: environment", "The key comes from the DASHSCOPE_API_KEY environment variable "
                                        "(used in place of the keyring, never saved)."),
    "keyring": ("Key: keyring", "The key is stored in the system keyring."),
    "session": ("Key: this session", "The key is kept for this session only and forgotten when the app quits."),
    "none": ("No key", "No API key yet: you will be asked for one when you generate."),
}


class _Field(QLabel):
    def __init__(self, name: str, accessible: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible)
        self.setContentsMargins(8, 0, 8, 0)


class AppStatusBar(QStatusBar):
    """Permanent fields on the right; transient messages (showMessage) on the left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.region_label = _Field("statusRegion", "Region", self)
        self.key_label = _Field("statusKey", "API key source", self)
        self.spend_label = _Field("statusSpend", "Spend today", self)
        self.connectivity_label = _Field("statusConnectivity", "Connectivity", self)
        for label in (self.region_label, self.key_label, self.spend_label, self.connectivity_label):
            self.addPermanentWidget(label)
        self.key_origin: str | None = None
        self.online: bool | None = None
        self.set_key_origin(None)
        self.set_spend_today(None)
        self.set_online(None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.set_online(self.online)  # recolour for a light/dark switch

    def set_region(self, region: Region, custom_endpoint: str | None = None) -> None:
        text = f"Region: {region.label}"
        tip = f"Requests go to {region.label}."
        if custom_endpoint:
            text += " (custom endpoint)"
            tip = f"Requests go to the custom endpoint {custom_endpoint} with the {region.label} key."
        self.region_label.setText(text)
        self.region_label.setToolTip(tip)

    def set_key_origin(self, origin: str | None, problem: str | None = None) -> None:
        """`origin` from keys.KeySource.origin; None while it is still being looked up."""
        self.key_origin = origin
        if origin is None:
            self.key_label.setText("Key: checking…")
            self.key_label.setToolTip("Looking the key up in the environment and the system keyring.")
            return
        text, tip = _ORIGIN_TEXT.get(origin, _ORIGIN_TEXT["none"])
        if problem:
            tip = f"{tip}\n{problem}"
        self.key_label.setText(text)
        self.key_label.setToolTip(tip)

    def set_spend_today(self, amount: Decimal | None) -> None:
        if amount is None:
            self.spend_label.setText("Today: –")
            self.spend_label.setToolTip("Today's spend, from the local ledger (still loading).")
            return
        self.spend_label.setText(f"Today: {format_cny(amount)}")
        self.spend_label.setToolTip("What today's jobs cost, from the local ledger (billed images × price).")

    def set_online(self, online: bool | None) -> None:
        """Last known from job outcomes; the app never pings the network on its own."""
        self.online = online
        if online:
            text, tone = "● Online", Tone.SUCCESS
            tip = "The last request reached the service."
        elif online is False:
            text, tone = "● Offline", Tone.ERROR
            tip = "The last request could not reach the service. The library still works offline."
        else:
            text, tone = "○ Offline", Tone.MUTED
            tip = "No request has been sent yet in this session. The library works offline."
        self.connectivity_label.setText(text)
        self.connectivity_label.setToolTip(tip)
        color = tone_color(tone, self.palette())
        self.connectivity_label.setStyleSheet(f"QLabel#statusConnectivity {{ color: {color.name()}; }}")
