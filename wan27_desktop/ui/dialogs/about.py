"""About Wan 2.7 Desktop: version, components with their versions, licences and third-party notices.

Qt and PySide6 are used under the LGPLv3 (issue 6): their licence texts ship in
`resources/licenses/` and the dialog opens them, together with THIRD_PARTY_NOTICES.md.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wan27_desktop import __version__, buildinfo, diagnostics
from wan27_desktop.assets import app_icon_path, resource

LICENCE_FILES = {
    "lgpl": ("licenses", "LGPL-3.0.txt"),
    "gpl": ("licenses", "GPL-3.0.txt"),
    "notices": ("licenses", "THIRD_PARTY_NOTICES.md"),
}


def licence_path(which: str) -> Path:
    """'lgpl', 'gpl' or 'notices' -> the shipped file."""
    return resource(*LICENCE_FILES[which])


class AboutDialog(QDialog):
    ICON_SIZE = 64

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About Wan 2.7 Desktop"))
        self.setAccessibleName(self.tr("About Wan 2.7 Desktop"))

        icon = QLabel(self)
        icon.setObjectName("aboutIcon")
        icon.setAccessibleName(self.tr("Application icon"))
        icon.setPixmap(QIcon(str(app_icon_path())).pixmap(self.ICON_SIZE, self.ICON_SIZE))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        name = QLabel(self.tr("Wan 2.7 Desktop"), self)
        name.setObjectName("aboutNameLabel")
        font = name.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.5)
        name.setFont(font)
        version = QLabel(self.tr("Version %1").replace("%1", __version__), self)
        version.setObjectName("aboutVersionLabel")
        version.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Which build this is (issue 18): a bug report can name exactly what ran.
        build = QLabel(self.build_text(buildinfo.current()), self)
        build.setObjectName("aboutBuildLabel")
        build.setAccessibleName(self.tr("Build"))
        build.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        description = QLabel(
            self.tr("A desktop client for Alibaba Cloud Model Studio's Wan 2.7 image generation and editing API."), self
        )
        description.setObjectName("aboutDescriptionLabel")
        description.setWordWrap(True)

        self.components_table = QTableWidget(0, 2, self)
        self.components_table.setObjectName("componentsTable")
        self.components_table.setAccessibleName(self.tr("Components and versions"))
        self.components_table.setHorizontalHeaderLabels([self.tr("Component"), self.tr("Version")])
        rows = self.components_table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.components_table.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        self.components_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.components_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.components_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.components_table.horizontalHeader().setStretchLastSection(True)
        self.components_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.components_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.components_table.setAlternatingRowColors(True)
        for component, component_version in diagnostics.component_versions():
            row = self.components_table.rowCount()
            self.components_table.insertRow(row)
            self.components_table.setItem(row, 0, QTableWidgetItem(component))
            self.components_table.setItem(row, 1, QTableWidgetItem(component_version))
        self._fit_table_height()

        licences = QLabel(
            self.tr(
                "Wan 2.7 Desktop is released under the MIT licence. It uses Qt and PySide6 under the GNU "
                "Lesser General Public License v3 (LGPLv3); Qt is kept as separate shared libraries, which "
                "you may replace with your own build. Other components are listed with their licences in "
                "the third-party notices."
            ),
            self,
        )
        licences.setObjectName("aboutLicenceLabel")
        licences.setWordWrap(True)

        self.lgpl_button = self._button(
            "openLgplButton", self.tr("&LGPL 3.0"), self.tr("Open the GNU LGPL 3.0 licence text"), "lgpl"
        )
        self.gpl_button = self._button(
            "openGplButton", self.tr("&GPL 3.0"), self.tr("Open the GNU GPL 3.0 licence text"), "gpl"
        )
        self.notices_button = self._button(
            "openNoticesButton", self.tr("Third-party &notices"), self.tr("Open the third-party notices"), "notices"
        )
        self.copy_button = QPushButton(self.tr("&Copy diagnostic info"), self)
        self.copy_button.setObjectName("copyDiagnosticsButton")
        self.copy_button.setAccessibleName(self.tr("Copy diagnostic info"))
        self.copy_button.setToolTip(
            self.tr(
                "Copies versions, platform, paths and recent errors for a bug report. It never contains your API key."
            )
        )
        self.copy_button.setAutoDefault(False)
        self.copy_button.clicked.connect(self.copy_diagnostics)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("aboutCloseButton")
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.accept)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("aboutStatusLabel")
        self.status_label.setAccessibleName(self.tr("Status"))
        self.status_label.setWordWrap(True)
        self.status_label.setVisible(False)

        titles = QVBoxLayout()
        titles.addWidget(name)
        titles.addWidget(version)
        titles.addWidget(build)
        titles.addWidget(description)
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addLayout(titles, 1)
        licence_buttons = QHBoxLayout()
        for button in (self.lgpl_button, self.gpl_button, self.notices_button):
            licence_buttons.addWidget(button)
        licence_buttons.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.copy_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.components_table)
        layout.addWidget(licences)
        layout.addLayout(licence_buttons)
        layout.addWidget(self.status_label)
        layout.addSpacing(6)
        layout.addLayout(bottom)
        self.resize(540, self.sizeHint().height())
        self.close_button.setFocus()

    def build_text(self, info: buildinfo.BuildInfo) -> str:
        """Commit and build date of a frozen build; commit of a source checkout; else what is known."""
        commit = info.commit[: buildinfo.SHORT_COMMIT] if info.commit else None
        if commit is not None and info.dirty:
            commit = self.tr("%1 with local changes").replace("%1", commit)
        if info.origin == buildinfo.FROZEN:
            built = (info.built or "").replace("T", " ").replace("Z", " UTC") or self.tr("unknown")
            if commit is None:
                return self.tr("Commit unknown, built %1").replace("%1", built)
            return self.tr("Commit %1, built %2").replace("%1", commit).replace("%2", built)
        if info.origin == buildinfo.SOURCE and commit is not None:
            return self.tr("Source checkout, commit %1").replace("%1", commit)
        return self.tr("Installed package (commit unknown)")

    def _fit_table_height(self) -> None:
        # The whole table, no scrolling: it is a handful of rows.
        table = self.components_table
        height = table.verticalHeader().length() + table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        table.setFixedHeight(height)

    def _button(self, name: str, text: str, accessible: str, which: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.setToolTip(str(licence_path(which)))
        button.setAutoDefault(False)
        button.clicked.connect(lambda: self.open_licence(which))
        return button

    def components(self) -> dict[str, str]:
        """What the table shows: component -> version."""
        table = self.components_table
        cells = [(table.item(r, 0), table.item(r, 1)) for r in range(table.rowCount())]
        return {name.text(): version.text() for name, version in cells if name is not None and version is not None}

    def open_licence(self, which: str) -> bool:
        """Open a shipped licence file with the system viewer; say so when it cannot."""
        path = licence_path(which)
        if not path.is_file():
            self._set_status(self.tr("The file %1 is missing from this installation.").replace("%1", str(path)))
            return False
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            self._set_status(self.tr("Could not open %1; you can find it in that folder.").replace("%1", str(path)))
            return False
        self._set_status("")
        return True

    def _set_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    @Slot()
    def copy_diagnostics(self) -> str:
        text = diagnostics.diagnostic_info()
        QGuiApplication.clipboard().setText(text)
        self._set_status(self.tr("Diagnostic info copied to the clipboard."))
        return text
