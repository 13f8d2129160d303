"""The status bar: region, where the key comes from (never the key), today's spend, connectivity."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from wan27_desktop import i18n
from wan27_desktop.api.models import Region
from wan27_desktop.api.pricing import format_cny
from wan27_desktop.api.translatable import QT_TRANSLATE_NOOP
from wan27_desktop.ui.common.style import Tone, tone_color

# (label, tooltip) per key origin; translated when shown (context "AppStatusBar").
_ORIGIN_TEXT = {
    "environment": (
        QT_TRANSLATE_NOOP("AppStatusBar", "Key: environment"),
        QT_TRANSLATE_NOOP(
            "AppStatusBar",
            "The key comes from the DASHSCOPE_API_KEY environment "
            "variable (used in place of the keyring, never saved).",
        ),
    ),
    "keyring": (
        QT_TRANSLATE_NOOP("AppStatusBar", "Key: keyring"),
        QT_TRANSLATE_NOOP("AppStatusBar", "The key is stored in the system keyring."),
    ),
    "session": (
        QT_TRANSLATE_NOOP("AppStatusBar", "Key: this session"),
        QT_TRANSLATE_NOOP("AppStatusBar", "The key is kept for this session only and forgotten when the app quits."),
    ),
    "none": (
        QT_TRANSLATE_NOOP("AppStatusBar", "No key"),
        QT_TRANSLATE_NOOP("AppStatusBar", "No API key yet: you will be asked for one when you generate."),
    ),
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
        self.region_label = _Field("statusRegion", self.tr("Region"), self)
        self.key_label = _Field("statusKey", self.tr("API key source"), self)
        self.spend_label = _Field("statusSpend", self.tr("Spend today"), self)
        self.connectivity_label = _Field("statusConnectivity", self.tr("Connectivity"), self)
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
        name = i18n.region_name(region)
        text = self.tr("Region: {region}").format(region=name)
        tip = self.tr("Requests go to {region}.").format(region=name)
        if custom_endpoint:
            text = self.tr("Region: {region} (custom endpoint)").format(region=name)
            tip = self.tr("Requests go to the custom endpoint {endpoint} with the {region} key.").format(
                endpoint=custom_endpoint, region=name
            )
        self.region_label.setText(text)
        self.region_label.setToolTip(tip)

    def set_key_origin(self, origin: str | None, problem: str | None = None) -> None:
        """`origin` from keys.KeySource.origin; None while it is still being looked up."""
        self.key_origin = origin
        if origin is None:
            self.key_label.setText(self.tr("Key: checking…"))
            self.key_label.setToolTip(self.tr("Looking the key up in the environment and the system keyring."))
            return
        text, tip = (self.tr(source) for source in _ORIGIN_TEXT.get(origin, _ORIGIN_TEXT["none"]))
        if problem:
            tip = f"{tip}\n{problem}"
        self.key_label.setText(text)
        self.key_label.setToolTip(tip)

    def set_spend_today(self, amount: Decimal | None) -> None:
        if amount is None:
            self.spend_label.setText(self.tr("Today: –"))
            self.spend_label.setToolTip(self.tr("Today's spend, from the local ledger (still loading)."))
            return
        self.spend_label.setText(self.tr("Today: {amount}").format(amount=format_cny(amount)))
        self.spend_label.setToolTip(self.tr("What today's jobs cost, from the local ledger (billed images × price)."))

    def set_online(self, online: bool | None) -> None:
        """Last known from job outcomes; the app never pings the network on its own."""
        self.online = online
        if online:
            text, tone = self.tr("● Online"), Tone.SUCCESS
            tip = self.tr("The last request reached the service.")
        elif online is False:
            text, tone = self.tr("● Offline"), Tone.ERROR
            tip = self.tr("The last request could not reach the service. The library still works offline.")
        else:
            text, tone = self.tr("○ Offline"), Tone.MUTED
            tip = self.tr("No request has been sent yet in this session. The library works offline.")
        self.connectivity_label.setText(text)
        self.connectivity_label.setToolTip(tip)
        color = tone_color(tone, self.palette())
        self.connectivity_label.setStyleSheet(f"QLabel#statusConnectivity {{ color: {color.name()}; }}")
