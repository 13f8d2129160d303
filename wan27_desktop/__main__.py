"""`python -m wan27_desktop` runs the desktop app (same as `wan27-desktop`)."""

import sys

from .app import main

if __name__ == "__main__":
    sys.exit(main())
