#!/usr/bin/env bash
# Run a command inside a fresh D-Bus session with an unlocked gnome-keyring Secret Service, so
# keyring tests use the real SecretService backend in CI and locally, e.g.
#
#   .ci/keyring-session.sh python -m pytest tests/test_keys.py
#
# Why it looks like this:
# - gnome-keyring creates its default collection without a prompt only when it is unlocked with
#   a NON-empty password and finds no existing keyring; otherwise that fails with "Prompt
#   dismissed". So the daemon gets a random password and a throw-away keyring folder:
#   XDG_DATA_HOME points at a temp dir FOR THE DAEMON ONLY. The command keeps the caller's HOME
#   and XDG_DATA_HOME (pip user installs, platformdirs paths and WAN27_DATA_DIR are unaffected).
# - The daemon runs with --foreground so we know its pid and stop it ourselves: a daemonised
#   gnome-keyring-daemon can outlive the private bus.
# - dbus-daemon prints "Failed to set fd limit ... Operation not permitted" in containers; it is
#   a harmless warning and is ignored.
# Exit status: the command's; 125 when the keyring could not be started; 127 when a tool is missing.
set -uo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "$0: '$tool' not found; install the Debian packages 'dbus' and 'gnome-keyring'." >&2
        exit 127
    fi
done

keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/wan27-keyring.XXXXXX") || exit 125
trap 'rm -rf "$keyring_home"' EXIT

WAN27_KEYRING_HOME="$keyring_home" dbus-run-session -- bash -c '
    set -u
    home=$WAN27_KEYRING_HOME
    unset WAN27_KEYRING_HOME
    head -c 18 /dev/urandom | od -An -tx1 | tr -d " \n" > "$home/unlock"
    XDG_DATA_HOME="$home" gnome-keyring-daemon --foreground --unlock --components=secrets \
        < "$home/unlock" > "$home/daemon.env" &
    daemon=$!
    stop_daemon() { kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null; }
    # Ready once it has printed its control socket (the Secret Service is then on the bus).
    for _ in $(seq 1 200); do
        grep -q "^GNOME_KEYRING_CONTROL=" "$home/daemon.env" 2>/dev/null && break
        if ! kill -0 "$daemon" 2>/dev/null; then
            echo "keyring-session: gnome-keyring-daemon exited during start-up" >&2
            exit 125
        fi
        sleep 0.05
    done
    rm -f "$home/unlock"
    if ! grep -q "^GNOME_KEYRING_CONTROL=" "$home/daemon.env"; then
        echo "keyring-session: gnome-keyring-daemon did not start within 10 s" >&2
        stop_daemon
        exit 125
    fi
    export "$(grep "^GNOME_KEYRING_CONTROL=" "$home/daemon.env")"
    # Tests that need the keyring fail instead of skipping when it does not work in here.
    export WAN27_REQUIRE_KEYRING=1
    "$@"
    rc=$?
    stop_daemon
    exit "$rc"
' keyring-session "$@"
exit $?
