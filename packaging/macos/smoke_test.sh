#!/usr/bin/env bash
# Install the app from the .dmg as a user would (copy it out of the mounted image), check the image
# and the copy, run the installed app's --self-test and check it names the commit it was built from.
# Run by the release workflow after build_macos.sh.
#
#   packaging/macos/smoke_test.sh dist/wan27-desktop-0.1.0-macos-arm64.dmg
#
# EXPECTED_COMMIT (default: $GITHUB_SHA, set by GitHub Actions) is the commit `--version` must name.
# VERIFY_SIGNATURE=true: the installed app's signature is verified too (a signed build).
set -euo pipefail
DMG="$1"
EXPECTED_COMMIT="${EXPECTED_COMMIT:-${GITHUB_SHA:-}}"
SCRATCH="$(mktemp -d)"
MOUNT="$SCRATCH/volume"
trap 'hdiutil detach "$MOUNT" -quiet 2>/dev/null || true; rm -rf "$SCRATCH"' EXIT

hdiutil attach "$DMG" -nobrowse -readonly -mountpoint "$MOUNT"
if [ ! -L "$MOUNT/Applications" ]; then
    echo "smoke test: the disk image has no Applications link to drag the app onto" >&2
    exit 1
fi
mkdir -p "$SCRATCH/Applications"
ditto "$MOUNT/Wan 2.7 Desktop.app" "$SCRATCH/Applications/Wan 2.7 Desktop.app"
hdiutil detach "$MOUNT" -quiet
APP="$SCRATCH/Applications/Wan 2.7 Desktop.app"
if [ "${VERIFY_SIGNATURE:-false}" = "true" ]; then
    codesign --verify --deep --strict --verbose=2 "$APP"
fi
VERSION_LINE="$("$APP/Contents/MacOS/wan27-desktop" --version)"
echo "$VERSION_LINE"
if [ -n "$EXPECTED_COMMIT" ] && [[ "$VERSION_LINE" != *"commit ${EXPECTED_COMMIT:0:12}"* ]]; then
    echo "smoke test: the installed app does not name commit ${EXPECTED_COMMIT:0:12}" >&2
    exit 1
fi
WAN27_DATA_DIR="$SCRATCH/selftest" "$APP/Contents/MacOS/wan27-desktop" --self-test
echo "smoke test: installed from the disk image and self-tested"
