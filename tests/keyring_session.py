"""A private Secret Service for the test session, so keyring tests use the REAL backend.

On Linux without a reachable, unlocked Secret Service (a CI machine, a container, an SSH
session), start our own D-Bus session bus and gnome-keyring-daemon, exactly as
`.ci/keyring-session.sh` does for a single command:
- gnome-keyring creates its default collection without a prompt only when unlocked with a
  NON-empty password and an empty keyring folder, so it gets a random password and a temp
  XDG_DATA_HOME (for the daemon only);
- it runs in the foreground so we can stop it by pid at the end of the session.
macOS and Windows have their native keyrings; nothing is started there.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

START_TIMEOUT_S = 10.0


def start_private_secret_service() -> Callable[[], None] | None:
    """Start a bus + keyring daemon and point this process at them; returns a stop function,
    or None when the tools are missing (the caller then skips or fails keyring tests)."""
    if not sys.platform.startswith("linux"):
        return None
    if not (shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon")):
        return None
    home = tempfile.mkdtemp(prefix="wan27-keyring-")
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    if not address:
        bus.kill()
        shutil.rmtree(home, ignore_errors=True)
        return None
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address, "XDG_DATA_HOME": home}
    daemon = subprocess.Popen(
        ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert daemon.stdin is not None and daemon.stdout is not None
    daemon.stdin.write(secrets.token_hex(9))
    daemon.stdin.close()

    def stop() -> None:
        for process in (daemon, bus):
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(home, ignore_errors=True)

    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        line = daemon.stdout.readline()
        if line.startswith("GNOME_KEYRING_CONTROL="):
            break
        if not line and daemon.poll() is not None:
            stop()
            return None
    else:
        stop()
        return None
    os.environ["DBUS_SESSION_BUS_ADDRESS"] = address
    import keyring
    from keyring.backends import SecretService

    keyring.set_keyring(SecretService.Keyring())
    return stop
