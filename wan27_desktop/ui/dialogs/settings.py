"""Settings dialog: service (region, endpoint), API key, jobs, library folder, appearance.

OK writes to `AppSettings`; Cancel changes nothing. The key section reads the keyring on the
pool (it may block, see `keys.py`) and shows only the key's source and masked form. Moving the
library is not done here: "Move…" emits `libraryMoveRequested(Path)` and the main window runs the
move (`library_move.py`: confirm, copy, verify, switch) and calls `set_library_dir` afterwards.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import keys
from wan27_desktop.api.errors import ValidationError, WanError
from wan27_desktop.api.models import Region, RequestMode
from wan27_desktop.i18n import error_message, issue_text, language_choices, region_name, restart_note
from wan27_desktop.settings import MAX_CONCURRENCY, MIN_CONCURRENCY, AppSettings, Language, Theme, normalise_endpoint
from wan27_desktop.ui.dialogs.key import BackgroundCalls, KeyDialog, default_bases, grow_to_fit, named


def _combo(name: str, accessible: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = named(QComboBox(), name)
    combo.setAccessibleName(accessible)
    for text, data in items:
        combo.addItem(text, data)
    return combo


def _select(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(index, 0))


class SettingsDialog(QDialog):
    """Edits `AppSettings`. Emits `libraryMoveRequested(Path)`, `keyChanged(Region)`, `applied()`."""

    libraryMoveRequested = Signal(Path)
    keyChanged = Signal(object)  # Region whose key was replaced or removed
    applied = Signal()

    def __init__(
        self,
        settings: AppSettings,
        parent: QWidget | None = None,
        *,
        bases: dict[Region, str] | None = None,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.settings = settings
        self._bases = bases
        self._pool = pool
        self._calls = BackgroundCalls(self, pool)
        self._key_source: keys.KeySource | None = None
        self._build()
        self._load()
        self.refresh_key()

    # -- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        # Service
        self.region_combo = _combo(
            "settingsRegionCombo", self.tr("Region"), [(region_name(region), region) for region in Region]
        )
        self.region_combo.currentIndexChanged.connect(self.refresh_key)
        self.endpoint_edit = named(QLineEdit(), "settingsEndpointEdit")
        self.endpoint_edit.setAccessibleName(self.tr("Custom endpoint"))
        self.endpoint_edit.setPlaceholderText(self.tr("Default for the region"))
        self.endpoint_edit.setToolTip(
            self.tr(
                "A gateway or proxy base URL ending in /api/v1. https is required "
                "except for localhost. Leave empty to use the region's host."
            )
        )
        self.endpoint_edit.textChanged.connect(self._validate)
        self.endpoint_error = named(QLabel(), "settingsEndpointError")
        self.endpoint_error.setWordWrap(True)
        self.endpoint_error.setAccessibleName(self.tr("Endpoint problem"))
        self.endpoint_error.hide()
        service = named(QGroupBox(self.tr("Service")), "settingsServiceGroup")
        form = QFormLayout(service)
        form.addRow(self.tr("&Region:"), self.region_combo)
        # Edit and its error in one field: a wrapped label in a row of its own gets clipped.
        endpoint_field = QVBoxLayout()
        endpoint_field.setSpacing(2)
        endpoint_field.addWidget(self.endpoint_edit)
        endpoint_field.addWidget(self.endpoint_error)
        endpoint_label = QLabel(self.tr("Custom &endpoint:"))
        endpoint_label.setBuddy(self.endpoint_edit)
        form.addRow(endpoint_label, endpoint_field)

        # API key (per region: follows the region chosen above)
        self.key_source_label = named(QLabel(), "settingsKeySourceLabel")
        self.key_source_label.setAccessibleName(self.tr("Key source"))
        self.key_source_label.setWordWrap(True)
        self.key_masked_label = named(QLabel(), "settingsKeyMaskedLabel")
        self.key_masked_label.setAccessibleName(self.tr("Key"))
        self.key_replace_button = named(QPushButton(self.tr("Re&place…")), "settingsKeyReplaceButton")
        self.key_replace_button.setAccessibleName(self.tr("Replace key"))
        self.key_replace_button.clicked.connect(self.open_key_dialog)
        self.key_remove_button = named(QPushButton(self.tr("Re&move")), "settingsKeyRemoveButton")
        self.key_remove_button.setAccessibleName(self.tr("Remove key"))
        self.key_remove_button.clicked.connect(self.confirm_remove_key)
        key_buttons = QHBoxLayout()
        key_buttons.addWidget(self.key_masked_label, 1)
        key_buttons.addWidget(self.key_replace_button)
        key_buttons.addWidget(self.key_remove_button)
        key_group = named(QGroupBox(self.tr("API key")), "settingsKeyGroup")
        form = QFormLayout(key_group)
        form.addRow(self.tr("Source:"), self.key_source_label)
        form.addRow(self.tr("Key:"), key_buttons)

        # Jobs
        self.concurrency_spin = named(QSpinBox(), "settingsConcurrencySpin")
        self.concurrency_spin.setRange(MIN_CONCURRENCY, MAX_CONCURRENCY)
        self.concurrency_spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.concurrency_spin.setAccessibleName(self.tr("Jobs at a time"))
        self.concurrency_spin.setToolTip(
            self.tr("How many jobs run at once. The service allows {0} tasks in progress per account.").format(
                MAX_CONCURRENCY
            )
        )
        self.request_mode_combo = _combo(
            "settingsRequestModeCombo",
            self.tr("Default request mode"),
            [
                (self.tr("Automatic (recommended: recoverable, about as fast)"), RequestMode.AUTO),
                (self.tr("Synchronous (result in the response)"), RequestMode.SYNC),
                (self.tr("Asynchronous (task, polled)"), RequestMode.ASYNC),
            ],
        )
        jobs = named(QGroupBox(self.tr("Jobs")), "settingsJobsGroup")
        form = QFormLayout(jobs)
        form.addRow(self.tr("Jobs at a &time:"), self.concurrency_spin)
        form.addRow(self.tr("Request &mode:"), self.request_mode_combo)

        # Library
        self.library_label = named(QLabel(), "settingsLibraryPathLabel")
        self.library_label.setAccessibleName(self.tr("Library folder"))
        self.library_label.setWordWrap(True)
        self.library_move_button = named(QPushButton(self.tr("Mo&ve…")), "settingsLibraryMoveButton")
        self.library_move_button.setAccessibleName(self.tr("Move library"))
        self.library_move_button.setToolTip(self.tr("Move the library and all its images to another folder"))
        self.library_move_button.clicked.connect(self.choose_library_folder)
        library_row = QHBoxLayout()
        library_row.addWidget(self.library_label, 1)
        library_row.addWidget(self.library_move_button)
        library = named(QGroupBox(self.tr("Library")), "settingsLibraryGroup")
        form = QFormLayout(library)
        form.addRow(self.tr("Folder:"), library_row)

        # Appearance
        self.theme_combo = _combo(
            "settingsThemeCombo",
            self.tr("Theme"),
            [
                (self.tr("Follow the system"), Theme.SYSTEM),
                (self.tr("Light"), Theme.LIGHT),
                (self.tr("Dark"), Theme.DARK),
            ],
        )
        self.language_combo = _combo(
            "settingsLanguageCombo", self.tr("Language"), [(label, language) for language, label in language_choices()]
        )
        self.language_combo.setToolTip(restart_note())
        appearance = named(QGroupBox(self.tr("Appearance")), "settingsAppearanceGroup")
        form = QFormLayout(appearance)
        form.addRow(self.tr("T&heme:"), self.theme_combo)
        form.addRow(self.tr("&Language:"), self.language_combo)

        self.buttons = named(
            QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel),
            "settingsButtonBox",
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("settingsOkButton")
        self.ok_button.setAccessibleName(self.tr("OK"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("settingsCancelButton")
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        from wan27_desktop.ui.dialogs.spend_limits import SpendLimitsBox

        self.spend_box = SpendLimitsBox(self.settings.library_dir, self)  # issue 17
        layout = QVBoxLayout(self)
        groups = (service, key_group, jobs, self.spend_box, library, appearance)
        for group in groups:
            layout.addWidget(group)
        self._align_labels([group.layout() for group in groups])
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    @staticmethod
    def _align_labels(forms: list[object]) -> None:
        """One label column across all groups, so the fields line up from group to group."""
        labels: list[QWidget] = []
        for form in forms:
            if not isinstance(form, QFormLayout):
                continue
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    labels.append(widget)
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)

    def _load(self) -> None:
        s = self.settings
        _select(self.region_combo, s.region)
        self.endpoint_edit.setText(s.custom_endpoint or "")
        self.concurrency_spin.setValue(s.concurrency)
        _select(self.request_mode_combo, s.request_mode)
        _select(self.theme_combo, s.theme)
        _select(self.language_combo, s.language)
        self.set_library_dir(s.library_dir)

    # -- service ---------------------------------------------------------------------------------

    def region(self) -> Region:
        return Region(self.region_combo.currentData())

    def _validate(self) -> bool:
        try:
            normalise_endpoint(self.endpoint_edit.text())
        except ValidationError as err:
            self.endpoint_error.setText("⚠ " + issue_text(err.issues[0]))
            self.endpoint_error.show()
            grow_to_fit(self)
            self.ok_button.setEnabled(False)
            return False
        self.endpoint_error.hide()
        self.ok_button.setEnabled(True)
        return True

    # -- key -------------------------------------------------------------------------------------

    @Slot()
    def refresh_key(self) -> None:
        """Read the key source for the selected region (off the UI thread)."""
        region = self.region()
        self.key_source_label.setText(self.tr("Looking up the key…"))
        self.key_masked_label.clear()
        self.key_replace_button.setEnabled(False)
        self.key_remove_button.setEnabled(False)
        self._calls.start(lambda: keys.resolve_key(region), self._show_key, self._key_lookup_failed)

    def _show_key(self, source: keys.KeySource) -> None:
        if source.region is not self.region():
            return  # an older lookup for another region
        self._key_source = source
        text = {
            "environment": self.tr("DASHSCOPE_API_KEY environment variable (not saved)"),
            "keyring": self.tr("System keyring"),
            "session": self.tr("This session only (forgotten when the app quits)"),
            "none": self.tr("No key for this region"),
        }[source.origin]
        if source.problem:
            text = f"{text}. {source.problem}"
        self.key_source_label.setText(text)
        # A keyring problem can take three lines: grow once the label's new size is laid out.
        QTimer.singleShot(0, self._grow_to_fit)
        self.key_masked_label.setText(source.masked or self.tr("—"))
        from_env = source.origin == "environment"
        self.key_replace_button.setEnabled(not from_env)
        self.key_remove_button.setEnabled(source.origin in ("keyring", "session"))
        tip = self.tr("The key comes from DASHSCOPE_API_KEY; change or unset it where the app is started.")
        self.key_replace_button.setToolTip(tip if from_env else self.tr("Enter a different key"))
        self.key_remove_button.setToolTip(tip if from_env else self.tr("Forget the key for this region"))

    def _grow_to_fit(self) -> None:
        if self.isVisible():
            grow_to_fit(self)

    def _key_lookup_failed(self, err: BaseException) -> None:
        self.key_source_label.setText(error_message(err) if isinstance(err, WanError) else type(err).__name__)
        self.key_replace_button.setEnabled(True)

    @Slot()
    def open_key_dialog(self) -> KeyDialog:
        dialog = KeyDialog(
            self, region=self.region(), bases=self._bases or default_bases(), pool=self._pool, current=self._key_source
        )
        dialog.keySaved.connect(self._key_saved)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _key_saved(self, source: keys.KeySource) -> None:
        if source.region is not self.region():
            _select(self.region_combo, source.region)  # the key dialog switched region
        self.refresh_key()
        self.keyChanged.emit(source.region)

    @Slot()
    def confirm_remove_key(self) -> QMessageBox:
        region = self.region()
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Remove API key"),
            self.tr(
                "Remove the API key for {0} from this computer? You will need to enter it again to generate images."
            ).format(region_name(region)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("settingsKeyRemoveConfirm")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Remove"))

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self._remove_key(region)
            box.deleteLater()

        box.finished.connect(answered)
        box.open()
        return box

    def _remove_key(self, region: Region) -> None:
        self.key_source_label.setText(self.tr("Removing the key…"))
        self.key_remove_button.setEnabled(False)

        def removed(_: bool) -> None:
            self.refresh_key()
            self.keyChanged.emit(region)

        self._calls.start(lambda: keys.clear_key(region), removed, self._key_lookup_failed)

    # -- library ---------------------------------------------------------------------------------

    def set_library_dir(self, path: Path) -> None:
        """Show where the library is (the app calls this again after a move)."""
        self._library_dir = path
        self.library_label.setText(str(path))
        self.library_label.setToolTip(str(path))

    @Slot()
    def choose_library_folder(self) -> QFileDialog:
        dialog = QFileDialog(self, self.tr("Move the library to"), str(self._library_dir.parent))
        dialog.setObjectName("settingsLibraryFolderDialog")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)

        def chosen(folder: str) -> None:
            if folder and Path(folder) != self._library_dir:
                self.libraryMoveRequested.emit(Path(folder))

        dialog.fileSelected.connect(chosen)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    # -- apply -----------------------------------------------------------------------------------

    def accept(self) -> None:
        if not self._validate():
            self.endpoint_edit.setFocus()
            return
        if not self.spend_box.validate():
            return
        self.spend_box.save()
        s = self.settings
        s.region = self.region()
        s.custom_endpoint = self.endpoint_edit.text()
        s.concurrency = self.concurrency_spin.value()
        s.request_mode = RequestMode(self.request_mode_combo.currentData())
        s.theme = Theme(self.theme_combo.currentData())
        s.language = Language(self.language_combo.currentData())
        s.sync()
        self.applied.emit()
        super().accept()
