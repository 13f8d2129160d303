"""The welcome dialog (issue 9 onboarding): region and key, a sample prompt, where the library lives.

Shown once, on the first run (no key anywhere and `AppSettings.onboarding_done` not set), after the
main window has painted; reachable again from Help ▸ Welcome… (`show_welcome(window)`). It never
blocks: the key lookup that decides "first run" already ran on a worker (`MainWindow.start`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from wan27_desktop.i18n import region_name
from wan27_desktop.ui.dialogs.key import named

if TYPE_CHECKING:
    from wan27_desktop.ui.window.main_window import MainWindow

# Alibaba Cloud's "get an API key" pages, one per site (the console links change more often).
KEY_HELP_INTERNATIONAL = "https://www.alibabacloud.com/help/en/model-studio/get-api-key"
KEY_HELP_CHINA = "https://help.aliyun.com/zh/model-studio/get-api-key"


def sample_prompt() -> str:
    """A prompt that shows what the model does well; translated, since it accepts Chinese too."""
    return QCoreApplication.translate(
        "WelcomeDialog",
        "A red fox curled up asleep in fresh snow at golden hour, soft backlight through "
        "snowy pines, shallow depth of field, photorealistic, 35 mm film look",
    )


def keyring_name() -> str:
    if sys.platform == "darwin":
        return QCoreApplication.translate("WelcomeDialog", "the macOS Keychain")
    if sys.platform == "win32":
        return QCoreApplication.translate("WelcomeDialog", "Windows Credential Manager")
    return QCoreApplication.translate("WelcomeDialog", "the system keyring (Secret Service)")


class WelcomeDialog(QDialog):
    """Three steps, each with its one action: add a key, try a sample prompt, open the library."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("welcomeDialog")
        self.setWindowTitle(self.tr("Welcome to Wan 2.7 Desktop"))
        self._window = window
        self._build()
        self.update_key_state(window.key_origin())
        window.keyOriginChanged.connect(self.update_key_state)

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        icon = named(QLabel(), "welcomeIcon")
        window_icon = QGuiApplication.windowIcon()
        if window_icon.isNull():  # set by app.set_window_icon; not when embedded in tests or tools
            from wan27_desktop.assets import app_icon_path

            window_icon = QIcon(str(app_icon_path()))
        icon.setPixmap(window_icon.pixmap(56, 56))
        title = named(QLabel(self.tr("Welcome to Wan 2.7 Desktop")), "welcomeTitle")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        title.setFont(font)
        lead = QLabel(
            self.tr(
                "Make and edit images with Alibaba Cloud's Wan 2.7 models. Every image is saved on this "
                "computer with its prompt and settings. Three things to know:"
            )
        )
        lead.setWordWrap(True)
        heading = QVBoxLayout()
        heading.setSpacing(4)
        heading.addWidget(title)
        heading.addWidget(lead)
        heading.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        # 1. region and key
        regions = self.tr(
            "Choose the region where you use Model Studio: <b>{intl}</b> for the international "
            "site (alibabacloud.com), <b>{china}</b> for the Chinese mainland site (aliyun.com). "
            "A key works only in its own region."
        ).format(intl=region_name_html("sg"), china=region_name_html("cn"))
        where = self.tr(
            "Create one in the Model Studio console, under <i>API keys</i>. Step by step: "
            '<a href="{intl}">international site</a> · <a href="{china}">China site</a>.'
        ).format(intl=KEY_HELP_INTERNATIONAL, china=KEY_HELP_CHINA)
        stored = self.tr("The app keeps it in {keyring}, never in a file, and only ever shows it masked.").format(
            keyring=keyring_name()
        )
        paragraphs = "".join(f"<p style='margin:0 0 4px 0'>{part}</p>" for part in (regions, where, stored))
        key_text = named(QLabel(paragraphs), "welcomeKeyText")
        key_text.setTextFormat(Qt.TextFormat.RichText)
        key_text.setOpenExternalLinks(True)
        self.key_state = named(QLabel(), "welcomeKeyState")
        bold = QFont(self.key_state.font())
        bold.setBold(True)
        self.key_state.setFont(bold)
        self.key_state.setAccessibleName(self.tr("Key status"))
        self.key_button = named(QPushButton(self.tr("&Add API key…")), "welcomeKeyButton")
        self.key_button.setAccessibleName(self.tr("Add API key"))
        self.key_button.clicked.connect(self.open_key_dialog)

        # 2. a sample prompt
        prompt_text = QLabel(
            self.tr("Type what you want to see and press {keys} to generate. Or start from this sample:").format(
                keys=generate_keys()
            )
        )
        self.sample = named(QLabel(f"“{sample_prompt()}”"), "welcomeSamplePrompt")
        self.sample.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sample_button = named(QPushButton(self.tr("Use this &prompt")), "welcomeSampleButton")
        self.sample_button.setAccessibleName(self.tr("Use the sample prompt"))
        self.sample_button.setToolTip(self.tr("Put the sample into the prompt editor"))
        self.sample_button.clicked.connect(self.use_sample_prompt)

        # 3. the library
        library_text = QLabel(
            self.tr(
                "Your images, their prompts and the job history are kept in this folder. It "
                "works offline; back it up like any folder, or move it in Settings ▸ Library."
            )
        )
        self.library_path = named(QLabel(str(self._window.data_dir)), "welcomeLibraryPath")
        self.library_path.setAccessibleName(self.tr("Library folder"))
        self.library_path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.library_path.setToolTip(str(self._window.data_dir))
        self.open_button = named(QPushButton(self.tr("&Open folder")), "welcomeOpenFolderButton")
        self.open_button.setAccessibleName(self.tr("Open the library folder"))
        self.open_button.clicked.connect(self.open_library_folder)

        steps = QGridLayout()
        steps.setHorizontalSpacing(12)
        steps.setVerticalSpacing(6)
        steps.setColumnStretch(1, 1)
        rows = [
            ("1", self.tr("Your API key"), [key_text, self.key_state], self.key_button),
            ("2", self.tr("Try a prompt"), [prompt_text, self.sample], self.sample_button),
            ("3", self.tr("Your library"), [library_text, self.library_path], self.open_button),
        ]
        row = 0
        for number, text, body, button in rows:
            if row:
                line = QFrame()
                line.setFrameShape(QFrame.Shape.HLine)
                line.setFrameShadow(QFrame.Shadow.Sunken)
                steps.addWidget(line, row, 0, 1, 3)
                row += 1
            badge = QLabel(number)
            badge.setObjectName("welcomeStepNumber")
            badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
            badge.setFixedSize(26, 26)
            badge.setStyleSheet(
                "QLabel { border-radius: 13px; font-weight: bold; "
                "background: palette(highlight); color: palette(highlighted-text); }"
            )
            steps.addWidget(badge, row, 0, Qt.AlignmentFlag.AlignTop)
            column = QVBoxLayout()
            column.setSpacing(4)
            head = QLabel(f"<b>{text}</b>")
            column.addWidget(head)
            for label in body:
                label.setWordWrap(True)
                column.addWidget(label)
            steps.addLayout(column, row, 1)
            steps.addWidget(button, row, 2, Qt.AlignmentFlag.AlignBottom)
            row += 1

        self.buttons = named(QDialogButtonBox(), "welcomeButtonBox")
        self.done_button = self.buttons.addButton(self.tr("Get &started"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.done_button.setObjectName("welcomeDoneButton")
        self.done_button.setAccessibleName(self.tr("Close the welcome"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 16)
        layout.setSpacing(16)
        layout.addLayout(top)
        layout.addLayout(steps)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)
        self.setMaximumWidth(760)
        self.resize(640, self.heightForWidth(640))  # wrapped labels: a top level ignores height-for-width

    # -- state -----------------------------------------------------------------------------------
    def update_key_state(self, origin: str | None) -> None:
        region = region_name(self._window.settings.region)
        text = {
            None: self.tr("Looking for a key…"),
            "none": self.tr("No key yet."),
            "keyring": self.tr("✓ A key for {region} is saved in the system keyring."),
            "environment": self.tr("✓ Using the key from DASHSCOPE_API_KEY for {region}."),
            "session": self.tr("✓ A key for {region} is set for this session."),
        }.get(origin, "")
        self.key_state.setText(text.format(region=region))
        have_key = origin not in (None, "none")
        self.key_button.setText(self.tr("Re&place key…") if have_key else self.tr("&Add API key…"))
        self.key_button.setEnabled(origin != "environment")
        if have_key:
            self.done_button.setDefault(True)
        else:
            self.key_button.setDefault(True)
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow to what the wrapped texts need now: a longer key status or button text wraps the
        paragraphs beside it into more lines (a dialog does not follow height-for-width on its own)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = self.heightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    # -- actions -----------------------------------------------------------------------------------
    def open_key_dialog(self) -> Any:
        return self._window.open_key_dialog(parent=self)

    def use_sample_prompt(self) -> None:
        self._window.fill_prompt(sample_prompt())
        self.sample_button.setText(self.tr("✓ In the prompt editor"))

    def open_library_folder(self) -> bool:
        folder = Path(self._window.data_dir)
        opened = QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        if not opened:
            self.library_path.setText(
                self.tr("{path}\n(The file manager could not be opened; copy the path instead.)").format(path=folder)
            )
        return bool(opened)


def region_name_html(code: str) -> str:
    from wan27_desktop.api.models import Region

    return region_name(Region(code)).replace("&", "&amp;").replace("<", "&lt;")


def generate_keys() -> str:
    from PySide6.QtGui import QKeySequence

    return QKeySequence("Ctrl+Enter").toString(QKeySequence.SequenceFormat.NativeText)


def show_welcome(window: MainWindow) -> WelcomeDialog:
    """Open the welcome (Help ▸ Welcome…); closing it marks onboarding as done."""
    for existing in window.findChildren(WelcomeDialog):  # a closed one may wait for deleteLater
        if existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
    dialog = WelcomeDialog(window)

    def closed(_result: int) -> None:
        window.settings.onboarding_done = True
        window.settings.sync()
        dialog.deleteLater()
        window.focus_prompt()

    dialog.finished.connect(closed)
    dialog.open()
    return dialog
