"""What the grid says when it has nothing to show: a first-run hint, "nothing matches" with a way out,
or "the trash is empty". A small widget centred on the grid's viewport (shown only while the grid is
empty), so its button and its selectable path work like any other control.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from wan27_desktop.ui.common.widgets import set_text_role

MAX_WIDTH = 520


class GalleryEmptyState(QWidget):
    """Title, an explanation, and an optional action button ("Clear filters")."""

    actionClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("galleryEmptyState")
        self.title = QLabel(self)
        self.title.setObjectName("galleryEmptyTitle")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.title.setFont(font)
        self.detail = QLabel(self)
        self.detail.setObjectName("galleryEmptyDetail")
        self.detail.setWordWrap(True)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        set_text_role(self.detail, "muted")
        self.button = QPushButton(self)
        self.button.setObjectName("galleryEmptyAction")
        self.button.clicked.connect(self.actionClicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.hide()

    def set_message(self, title: str, detail: str = "", action: str = "") -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.button.setText(action)
        self.button.setVisible(bool(action))

    def text(self) -> str:
        """Everything it says (tests and accessibility)."""
        parts = [
            self.title.text(),
            self.detail.text() if self.detail.isVisibleTo(self) else "",
            self.button.text() if self.button.isVisibleTo(self) else "",
        ]
        return "\n".join(p for p in parts if p)

    def place(self, area: QRect) -> None:
        """Centre in `area` (the viewport), at most MAX_WIDTH wide."""
        width = min(MAX_WIDTH, max(160, area.width() - 40))
        layout = self.layout()
        height = layout.heightForWidth(width) if layout is not None and layout.hasHeightForWidth() else -1
        height = max(height, self.minimumSizeHint().height())
        self.setGeometry(
            area.x() + (area.width() - width) // 2,
            area.y() + max(0, (area.height() - height) // 2),
            width,
            min(height, area.height()),
        )
