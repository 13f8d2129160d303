"""Named points where the crash-safety tests kill the process (SIGKILL) to prove nothing is lost.

`WAN27_CRASHPOINT=<name>` makes the process kill itself the first time it reaches `<name>`.
Unset (always, outside tests) this is one dictionary lookup per point.
"""

from __future__ import annotations

import os
import signal

ENV = "WAN27_CRASHPOINT"
_TARGET = os.environ.get(ENV) or None


def crashpoint(name: str) -> None:
    if name == _TARGET:
        os.kill(os.getpid(), signal.SIGKILL)
