#!/usr/bin/env bash
# Build "Wan 2.7 Desktop.app" and a .dmg. One command: packaging/build_macos.sh   (outputs in dist/)
# Signing and notarisation run only when their secrets are set (see README, "Signing"):
#   MACOS_SIGN_IDENTITY      "Developer ID Application: Name (TEAMID)" in the keychain -> codesign
#   MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_TEAM_ID, MACOS_NOTARY_PASSWORD (app-specific) -> notarytool
# SKIP_PIP=1 skips `pip install .[packaging]`. The app is built for the machine's architecture.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ "${SKIP_PIP:-0}" != "1" ]; then
    $PYTHON -m pip install --quiet ".[packaging]"
fi
$PYTHON packaging/render_icons.py >/dev/null
$PYTHON -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/wan27_desktop.spec
VERSION="$($PYTHON -c 'import wan27_desktop; print(wan27_desktop.__version__)')"
APP="dist/Wan 2.7 Desktop.app"
SELFTEST_DATA="$(mktemp -d)"
WAN27_DATA_DIR="$SELFTEST_DATA" "$APP/Contents/MacOS/wan27-desktop" --self-test
rm -rf "$SELFTEST_DATA"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    # Hardened runtime + secure timestamp: both required for notarisation.
    codesign --deep --force --options runtime --timestamp --entitlements packaging/macos/entitlements.plist \
        --sign "$MACOS_SIGN_IDENTITY" "$APP"
    codesign --verify --deep --strict --verbose=2 "$APP"
else
    echo "MACOS_SIGN_IDENTITY not set: the app is not signed (Gatekeeper will warn on first launch)"
fi

# The disk image shows the app next to an Applications link, to drag it across.
DMG="dist/wan27-desktop-${VERSION}-macos-$(uname -m).dmg"
STAGE="build/dmg"
rm -rf "$STAGE" "$DMG"
mkdir -p "$STAGE"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "Wan 2.7 Desktop" -srcfolder "$STAGE" -ov -format UDZO "$DMG"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ] && [ -n "${MACOS_NOTARY_APPLE_ID:-}" ] \
        && [ -n "${MACOS_NOTARY_TEAM_ID:-}" ] && [ -n "${MACOS_NOTARY_PASSWORD:-}" ]; then
    codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
    xcrun notarytool submit "$DMG" --apple-id "$MACOS_NOTARY_APPLE_ID" \
        --team-id "$MACOS_NOTARY_TEAM_ID" --password "$MACOS_NOTARY_PASSWORD" --wait
    xcrun stapler staple "$DMG"
else
    echo "notarisation secrets not set: the .dmg is not notarised"
fi
ls -la "$DMG"
