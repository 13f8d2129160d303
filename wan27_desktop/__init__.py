"""Wan 2.7 Desktop: a desktop client for Alibaba Cloud's Wan 2.7 image API."""

from wan27_desktop.pyside_scan import skip_pyside_source_scan

__version__ = "0.1.0"

# PySide6 already loaded (a launcher, the tests, the start-up benchmark): before our modules load.
skip_pyside_source_scan()
