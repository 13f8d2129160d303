"""Settings ▸ Spending limits: a daily and a monthly limit per region (issue 17), kept in the
library so `wan27 spend limit` sees the same ones. Empty means no limit. Read and written on a
worker; a job or batch that would cross a limit asks before sending."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from wan27_desktop.api.models import Region
from wan27_desktop.i18n import region_name
from wan27_desktop.library.spendlimits import parse_amount
from wan27_desktop.ui.common.background import BackgroundWork
from wan27_desktop.ui.common.widgets import InlineMessage, named

Limits = dict[str, tuple[Decimal | None, Decimal | None]]


class SpendLimitsBox(QGroupBox):
    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Spending limits (CNY)"))
        self.setObjectName("settingsSpendGroup")
        self.data_dir = data_dir
        self.loaded = False
        self._work = BackgroundWork(self, pool="dialogs")
        self.edits: dict[tuple[Region, str], QLineEdit] = {}
        form = QFormLayout(self)
        for region in Region:
            row = QHBoxLayout()
            for period, label in (("daily", self.tr("per day")), ("monthly", self.tr("per month"))):
                edit = named(
                    QLineEdit(self),
                    f"spendLimit_{region.value}_{period}",
                    self.tr("{region}: limit {period}").format(region=region_name(region), period=label),
                )
                edit.setPlaceholderText(self.tr("no limit"))
                edit.setEnabled(False)  # until the limits are read
                edit.textChanged.connect(self.validate)
                self.edits[(region, period)] = edit
                row.addWidget(edit)
                row.addWidget(QLabel(label, self))
            form.addRow(QLabel(self.tr("{region}:").format(region=region_name(region)), self), row)
        self.error = InlineMessage("spendLimitError", self.tr("Spending limit problem"), self)
        form.addRow("", self.error)
        note = QLabel(self.tr("A job or batch that would cross a limit asks before anything is sent."), self)
        note.setWordWrap(True)
        form.addRow("", note)
        self.load()

    def load(self) -> None:
        data_dir = self.data_dir

        def read() -> Limits:
            from wan27_desktop.library import Library

            with Library.open(data_dir, reconcile=False) as library:
                return {region.value: library.spend_limits.limits(region.value) for region in Region}

        self._work.run(read, self._loaded)

    def _loaded(self, limits: Limits) -> None:
        for region in Region:
            daily, monthly = limits.get(region.value, (None, None))
            for period, value in (("daily", daily), ("monthly", monthly)):
                edit = self.edits[(region, period)]
                edit.setText("" if value is None else f"{value.normalize():f}")
                edit.setEnabled(True)
        self.loaded = True

    def values(self) -> Limits | None:
        """The limits as typed, or None when one cannot be read."""
        found: Limits = {}
        try:
            for region in Region:
                found[region.value] = (
                    parse_amount(self.edits[(region, "daily")].text()),
                    parse_amount(self.edits[(region, "monthly")].text()),
                )
        except ValueError:
            return None
        return found

    def validate(self) -> bool:
        if self.values() is None:
            self.error.show_message(self.tr("Type an amount such as 20 or 12.50, or leave it empty."), "error")
            return False
        self.error.clear_message()
        return True

    def save(self) -> None:
        """Write the limits (worker); nothing happens before they were read or if one is invalid."""
        values = self.values()
        if not self.loaded or values is None:
            return
        data_dir = self.data_dir

        def write() -> None:
            from wan27_desktop.library import Library

            with Library.open(data_dir, reconcile=False) as library:
                for region, (daily, monthly) in values.items():
                    if library.spend_limits.limits(region) != (daily, monthly):
                        library.spend_limits.set_limits(region, daily, monthly)

        self._work.run(write)
