"""`python -m wan27_desktop` runs the desktop app (same as `wan27-desktop`)."""

import sys

from wan27_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
