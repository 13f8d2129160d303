"""PyInstaller entry script: the frozen app starts here (the package itself is imported normally)."""

import sys

from wan27_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
