"""The gallery's custom date range: two calendar fields (from, to), both days included.

OK stays disabled while the range is backwards, and a line under the fields says what to change.
Dates are shown as YYYY-MM-DD, which reads the same in every locale.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop.ui.common.widgets import set_text_role

DATE_FORMAT = "yyyy-MM-dd"
EARLIEST = QDate(2020, 1, 1)  # before any Wan 2.7 image; keeps the calendar's year list short


def range_text(date_from: str | None, date_to: str | None) -> str:
    """'2026-01-01 – 2026-01-31', 'from 2026-01-01', 'until 2026-01-31', or one day."""
    if date_from and date_to:
        if date_from == date_to:
            return date_from
        return f"{date_from} – {date_to}"
    if date_from:
        return QCoreApplication.translate("DateRangeDialog", "from {day}").format(day=date_from)
    if date_to:
        return QCoreApplication.translate("DateRangeDialog", "until {day}").format(day=date_to)
    return QCoreApplication.translate("DateRangeDialog", "Any time")


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class DateRangeDialog(QDialog):
    """Pick the first and the last day of a range (both inclusive)."""

    def __init__(self, start: date, end: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("galleryDateRangeDialog")
        self.setWindowTitle(self.tr("Custom date range"))
        today = QDate.currentDate()
        self.start = self._date_edit("galleryDateFrom", self.tr("First day"), start, today)
        self.end = self._date_edit("galleryDateTo", self.tr("Last day"), end, today)
        self.message = QLabel(self)
        self.message.setObjectName("galleryDateRangeMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Show these days"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        intro = QLabel(self.tr("Show images made from the first day to the last day, both included."), self)
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("From"), self.start)
        form.addRow(self.tr("To"), self.end)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(max(360, self.sizeHint().width()))
        self.start.dateChanged.connect(self._validate)
        self.end.dateChanged.connect(self._validate)
        self._validate()

    def _date_edit(self, name: str, accessible: str, value: date, today: QDate) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(DATE_FORMAT)
        edit.setDateRange(EARLIEST, today.addYears(1))
        edit.setDate(_qdate(value))
        return edit

    def range(self) -> tuple[date, date]:
        return _pydate(self.start.date()), _pydate(self.end.date())

    def is_valid(self) -> bool:
        return self.start.date() <= self.end.date()

    def _validate(self) -> None:
        valid = self.is_valid()
        self.ok_button.setEnabled(valid)
        if valid:
            days = self.start.date().daysTo(self.end.date()) + 1
            self.message.setText(self.tr("%n day(s).", "", days))
            set_text_role(self.message, "muted")
        else:
            self.message.setText(
                self.tr(
                    "The first day ({start}) is after the last day ({end}). Pick a first day on or before the last day."
                ).format(start=self.start.date().toString(DATE_FORMAT), end=self.end.date().toString(DATE_FORMAT))
            )
            set_text_role(self.message, "error")
        # The message may need more lines than the last one: let the dialog grow to show all of it.
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(
            self.width(), max(self.height(), self.heightForWidth(self.width()), self.minimumSizeHint().height())
        )

    def accept(self) -> None:
        if not self.is_valid():  # Enter in a field reaches here even while OK is disabled
            self._validate()
            return
        super().accept()
