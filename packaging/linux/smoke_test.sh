#!/usr/bin/env bash
# Install the .deb as a user would, check what it installed, run the installed app's --self-test
# (offscreen, and on X11 under Xvfb), check it names the commit it was built from, then remove the
# package and check nothing of it is left. Run by the release workflow after build_linux.sh.
#
#   packaging/linux/smoke_test.sh dist/wan27-desktop_0.1.0_amd64.deb
#
# EXPECTED_COMMIT (default: $GITHUB_SHA, set by GitHub Actions) is the commit `--version` must name.
# Needs: sudo/root, apt-get, desktop-file-validate, xvfb-run.
set -euo pipefail
DEB="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
EXPECTED_COMMIT="${EXPECTED_COMMIT:-${GITHUB_SHA:-}}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT

$SUDO apt-get install -y "$DEB"
desktop-file-validate /usr/share/applications/wan27-desktop.desktop
VERSION_LINE="$(wan27-desktop --version)"
echo "$VERSION_LINE"
if [ -n "$EXPECTED_COMMIT" ] && [[ "$VERSION_LINE" != *"commit ${EXPECTED_COMMIT:0:12}"* ]]; then
    echo "smoke test: the installed app does not name commit ${EXPECTED_COMMIT:0:12}" >&2
    exit 1
fi
WAN27_DATA_DIR="$SCRATCH/selftest-offscreen" QT_QPA_PLATFORM=offscreen wan27-desktop --self-test
WAN27_DATA_DIR="$SCRATCH/selftest-xcb" QT_QPA_PLATFORM=xcb xvfb-run -a wan27-desktop --self-test

$SUDO apt-get remove -y wan27-desktop
for path in /opt/wan27-desktop /usr/bin/wan27-desktop /usr/share/applications/wan27-desktop.desktop; do
    if [ -e "$path" ] || [ -L "$path" ]; then
        echo "smoke test: $path is still there after removing the package" >&2
        exit 1
    fi
done
echo "smoke test: installed, self-tested and removed cleanly"
