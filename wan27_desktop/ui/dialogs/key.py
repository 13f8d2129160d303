"""First-run / replace-key dialog: pick the region, paste the key, check it at zero cost, store it.

Everything that can block runs on a QThreadPool: the key check is HTTP, and keyring calls are
D-Bus round trips that may wait on an unlock prompt (see `keys.py`). Once saved, the key is only
ever shown masked. The dialog never builds a request itself; it asks the API client.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import config, keys
from wan27_desktop.api.constants import KEY_CHECK_BASE_DELAY_S, KEY_CHECK_MAX_ATTEMPTS
from wan27_desktop.api.errors import ValidationError, WanError
from wan27_desktop.api.models import Region
from wan27_desktop.i18n import error_message, hint_text, region_name
from wan27_desktop.ui.common.background import BackgroundWork

_W = TypeVar("_W", bound=QWidget)


def named(widget: _W, object_name: str) -> _W:
    """Give a widget its stable objectName (tests and accessibility tools find it by that)."""
    widget.setObjectName(object_name)
    return widget


def grow_to_fit(dialog: QWidget) -> None:
    """Make a dialog tall enough after a wrapped label got longer: a top-level layout's minimum
    size ignores height-for-width, so the new lines would otherwise be clipped."""
    layout = dialog.layout()
    if layout is not None:
        layout.activate()
    needed = dialog.heightForWidth(dialog.width()) if dialog.hasHeightForWidth() else dialog.sizeHint().height()
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


class BackgroundCalls(BackgroundWork):
    """The dialogs' background calls: `start(fn, on_done, on_failed)` on `pool` (the "dialogs"
    pool by default), results delivered to the UI thread while `owner` exists."""

    def __init__(self, owner: QObject, pool: QThreadPool | None) -> None:
        super().__init__(owner, pool=pool if pool is not None else "dialogs")


def default_bases() -> dict[Region, str]:
    """Where a key is checked: each region's host (or WAN27_API_BASE when set)."""
    return {region: config.api_base(region) for region in Region}


def _region_hint(region: Region) -> str:
    if region is Region.SINGAPORE:
        return QCoreApplication.translate(
            "KeyDialog", "International site (dashscope-intl.aliyuncs.com): keys from the Alibaba Cloud console."
        )
    return QCoreApplication.translate(
        "KeyDialog", "Chinese mainland (dashscope.aliyuncs.com): keys from the Aliyun (China) console."
    )


def _region_name(region: Region) -> str:
    if region is Region.SINGAPORE:
        return QCoreApplication.translate("KeyDialog", "Singapore")
    return QCoreApplication.translate("KeyDialog", "Beijing")


class KeyDialog(QDialog):
    """Asks for a region and an API key; checks and stores it. Emits `keySaved(KeySource)`."""

    keySaved = Signal(object)  # keys.KeySource (its repr never shows the key)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        region: Region = Region.SINGAPORE,
        bases: dict[Region, str] | None = None,
        pool: QThreadPool | None = None,
        current: keys.KeySource | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("keyDialog")
        self.setWindowTitle(self.tr("DashScope API key"))
        self._bases = dict(bases) if bases else default_bases()
        self._calls = BackgroundCalls(self, pool)
        self._suggested_region: Region | None = None
        self.saved_source: keys.KeySource | None = None
        self._keyring_ok: bool | None = None  # unknown until the probe reports
        self._build(current)
        self.set_region(region)
        self._probe_keyring()

    # -- layout ----------------------------------------------------------------------------------

    def _build(self, current: keys.KeySource | None) -> None:
        intro = QLabel(
            self.tr(
                "Wan 2.7 Desktop needs a DashScope API key from Alibaba Cloud Model Studio. "
                "Keys belong to one region: choose the region where you created it."
            )
        )
        intro.setWordWrap(True)

        self.region_combo = named(QComboBox(), "keyRegionCombo")
        for region in Region:
            self.region_combo.addItem(region_name(region), region)
        self.region_combo.setAccessibleName(self.tr("Region"))
        self.region_combo.currentIndexChanged.connect(self._region_changed)
        self.region_hint = named(QLabel(), "keyRegionHint")
        self.region_hint.setWordWrap(True)
        hint_font = self.region_hint.font()
        hint_font.setPointSizeF(hint_font.pointSizeF() * 0.9)
        self.region_hint.setFont(hint_font)

        self.key_edit = named(QLineEdit(), "keyEdit")
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_edit.setPlaceholderText(self.tr("sk-…"))
        self.key_edit.setAccessibleName(self.tr("API key"))
        self.key_edit.setClearButtonEnabled(True)
        self.key_edit.textChanged.connect(self._key_edited)
        self.show_button = named(QToolButton(), "keyShowButton")
        self.show_button.setCheckable(True)
        self.show_button.setText(self.tr("Show"))
        self.show_button.setAccessibleName(self.tr("Show key"))
        self.show_button.setToolTip(self.tr("Show or hide the key while typing"))
        self.show_button.toggled.connect(self._toggle_visible)
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_edit, 1)
        key_row.addWidget(self.show_button)

        form = QFormLayout()
        form.addRow(self.tr("&Region:"), self.region_combo)
        form.addRow("", self.region_hint)
        key_label = QLabel(self.tr("API &key:"))
        key_label.setBuddy(self.key_edit)
        form.addRow(key_label, key_row)
        self.current_label = named(QLabel(), "keyCurrentLabel")
        self.current_label.setAccessibleName(self.tr("Current key"))
        if current is not None and current.key:
            self.current_label.setText(self.tr("Current key: {0} ({1})").format(current.masked, current.description))
            form.addRow("", self.current_label)
        else:
            self.current_label.hide()

        self.busy = named(QProgressBar(), "keyBusyIndicator")
        self.busy.setRange(0, 0)  # indeterminate
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy.setAccessibleName(self.tr("Working"))
        self.busy.hide()
        self.status_label = named(QLabel(), "keyStatusLabel")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.setAccessibleName(self.tr("Key status"))
        self.switch_button = named(QPushButton(), "keySwitchRegionButton")
        self.switch_button.setAccessibleName(self.tr("Switch region"))
        self.switch_button.clicked.connect(self._switch_region)
        self.switch_button.hide()
        status_row = QHBoxLayout()
        status_row.addWidget(self.status_label, 1)
        status_row.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignTop)

        self.check_button = named(QPushButton(self.tr("&Check key")), "keyCheckButton")
        self.check_button.setAccessibleName(self.tr("Check key"))
        self.check_button.setToolTip(self.tr("Asks the service whether the key works, at no cost"))
        self.check_button.clicked.connect(self.check_key)
        key_row.addWidget(self.check_button)  # next to the key: check first, then save
        self.save_button = named(QPushButton(self.tr("&Save")), "keySaveButton")
        self.save_button.setAccessibleName(self.tr("Save key"))
        self.save_button.setToolTip(self.tr("Store the key in the system keyring"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_key)
        self.session_button = named(QPushButton(self.tr("Use for this session &only")), "keySessionButton")
        self.session_button.setAccessibleName(self.tr("Use key for this session only"))
        self.session_button.setToolTip(self.tr("Keep the key in memory until the app quits; nothing is saved"))
        self.session_button.clicked.connect(self.use_for_session)
        self.buttons = named(QDialogButtonBox(), "keyButtonBox")
        self.buttons.addButton(self.session_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.close_button.setObjectName("keyCloseButton")
        self.close_button.setAccessibleName(self.tr("Close"))
        self.session_button.hide()  # after addButton, which shows it; offered only without a keyring
        # Save is an AcceptRole button only for placement; it must not close the dialog by itself.
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addLayout(status_row)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.key_edit.setFocus()
        self._update_buttons()

    # -- state -----------------------------------------------------------------------------------

    def region(self) -> Region:
        return Region(self.region_combo.currentData())

    def set_region(self, region: Region) -> None:
        self.region_combo.setCurrentIndex(self.region_combo.findData(region))
        self._region_changed()

    def _region_changed(self) -> None:
        self.region_hint.setText(_region_hint(self.region()))
        self.switch_button.hide()
        self._suggested_region = None

    def _key_edited(self) -> None:
        self.switch_button.hide()
        if self.saved_source is None:
            self._set_status("")
        self._update_buttons()

    def _toggle_visible(self, shown: bool) -> None:
        self.key_edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_button.setText(self.tr("Hide") if shown else self.tr("Show"))

    def _update_buttons(self) -> None:
        has_text = bool(self.key_edit.text().strip())
        idle = not self._calls.busy
        self.check_button.setEnabled(idle and has_text)
        self.save_button.setEnabled(idle and has_text and self._keyring_ok is not False)
        self.session_button.setEnabled(idle and has_text)
        self.region_combo.setEnabled(idle)
        self.busy.setVisible(not idle)

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        if self.isVisible():
            grow_to_fit(self)

    def _typed_key(self) -> str | None:
        """The key as typed, shape-checked; shows the problem and returns None when malformed."""
        try:
            return keys.normalise_key(self.key_edit.text())
        except ValidationError as err:
            self._set_status(err.issues[0].message)
            return None

    def _start(
        self, fn: Callable[[], Any], on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None]
    ) -> None:
        def done(value: Any) -> None:
            self._update_buttons()
            on_done(value)

        def failed(err: BaseException) -> None:
            self._update_buttons()
            on_failed(err)

        self._calls.start(fn, done, failed)
        self._update_buttons()

    # -- keyring availability ------------------------------------------------------------------

    def _probe_keyring(self) -> None:
        self._start(keys.keyring_available, self._keyring_probed, self._keyring_probe_failed)

    def _keyring_probed(self, result: tuple[bool, str]) -> None:
        available, explanation = result
        if available:
            self._keyring_ok = True
        else:
            self._offer_session_only(explanation)

    def _keyring_probe_failed(self, err: BaseException) -> None:
        self._offer_session_only(str(err))

    def _offer_session_only(self, explanation: str) -> None:
        self._keyring_ok = False
        self.session_button.show()
        self.session_button.setDefault(True)
        self._update_buttons()
        self.save_button.setToolTip(self.tr("No usable system keyring: the key cannot be stored"))
        self._set_status(
            self.tr(
                "{0}\nOr use the key for this session only: it is kept in memory and forgotten when the app quits."
            ).format(explanation)
        )

    # -- check -----------------------------------------------------------------------------------

    @Slot()
    def check_key(self) -> None:
        key = self._typed_key()
        if key is None:
            return
        selected = self.region()
        # The selected region first, so a key valid there is reported as such.
        order = [selected] + [r for r in Region if r is not selected]
        bases = {r: self._bases[r] for r in order if r in self._bases}
        self._set_status(self.tr("Checking the key with {0}…").format(_region_name(selected)))
        self.switch_button.hide()

        def work() -> Region | None:
            # Deferred imports keep the dialog (and app start-up) light.
            from wan27_desktop.api.client import check_key_regions
            from wan27_desktop.api.retry import RetryPolicy

            # Someone is waiting on the button: one quick retry, not the jobs' patient policy.
            return check_key_regions(
                key,
                bases,
                retry_policy=RetryPolicy(max_attempts=KEY_CHECK_MAX_ATTEMPTS, base_delay=KEY_CHECK_BASE_DELAY_S),
            )

        self._start(work, lambda region: self._checked(selected, region), self._check_failed)

    def _checked(self, selected: Region, region: Region | None) -> None:
        if region is None:
            self._set_status(
                self.tr(
                    "Invalid key: neither Singapore nor Beijing accepted it. "
                    "Copy it again from the Model Studio console."
                )
            )
        elif region is selected:
            self._set_status(self.tr("✓ Valid for {0}.").format(_region_name(region)))
        else:
            self._suggested_region = region
            self._set_status(self.tr("This key belongs to {0} — switch region?").format(_region_name(region)))
            self.switch_button.setText(self.tr("Switch to {0}").format(_region_name(region)))
            self.switch_button.show()

    def _check_failed(self, err: BaseException) -> None:
        if isinstance(err, WanError):
            self._set_status(
                self.tr("Could not check the key: {0}\n{1}").format(error_message(err), hint_text(err.hint))
            )
        else:
            self._set_status(self.tr("Could not check the key: {0}").format(type(err).__name__))

    def _switch_region(self) -> None:
        region = self._suggested_region
        if region is None:
            return
        self.set_region(region)
        self._set_status(self.tr("✓ Valid for {0}.").format(_region_name(region)))

    # -- save ------------------------------------------------------------------------------------

    @Slot()
    def save_key(self) -> None:
        key = self._typed_key()
        if key is None:
            return
        region = self.region()
        self._set_status(self.tr("Saving the key in the system keyring…"))
        self._start(lambda: keys.store_key(region, key), self._saved, self._save_failed)

    @Slot()
    def use_for_session(self) -> None:
        key = self._typed_key()
        if key is None:
            return
        self._saved(keys.set_session_key(self.region(), key))  # in memory: no blocking call

    def _saved(self, source: keys.KeySource) -> None:
        self.saved_source = source
        # From here on the key is never shown in full: clear the field, show the masked form.
        self.key_edit.clear()
        self.show_button.setChecked(False)
        where = (
            self.tr("in the system keyring")
            if source.origin == "keyring"
            else self.tr("for this session only; it is forgotten when the app quits")
        )
        self._set_status(self.tr("✓ Saved {0} for {1} {2}.").format(source.masked, _region_name(source.region), where))
        self.close_button.setText(self.tr("Done"))
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.keySaved.emit(source)

    def _save_failed(self, err: BaseException) -> None:
        if isinstance(err, keys.KeyringUnavailable):
            self._offer_session_only(self.tr("{0}\n{1}").format(error_message(err), hint_text(err.hint)))
        elif isinstance(err, WanError):
            self._set_status(self.tr("The key was not saved: {0}").format(error_message(err)))
        else:
            self._set_status(self.tr("The key was not saved: {0}").format(type(err).__name__))

    def reject(self) -> None:
        # Closing after a successful save (Done, Esc, the window's close box) is a success.
        if self.saved_source is not None:
            self.accept()
        else:
            super().reject()
