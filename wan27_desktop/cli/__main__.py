import sys

from wan27_desktop.cli import main

sys.exit(main())
