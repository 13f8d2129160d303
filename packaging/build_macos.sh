#!/usr/bin/env bash
# Build "Wan 2.7 Desktop.app" and a .dmg, the bundle's bill of materials (CycloneDX JSON) and
# SHA256SUMS over both. One command: packaging/build_macos.sh   (outputs in dist/)
# Signing and notarisation run only when their secrets are set (see README, "Signing"):
#   MACOS_SIGN_IDENTITY      "Developer ID Application: Name (TEAMID)" in the keychain -> codesign
#   MACOS_NOTARY_APPLE_ID, MACOS_NOTARY_TEAM_ID, MACOS_NOTARY_PASSWORD (app-specific) -> notarytool
# SKIP_PIP=1 skips installing packaging/requirements-build.lock (PYTHON must then have exactly the
# locked versions already). The app is built for the machine's architecture.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
# The build's inputs are the locked, hashed wheels, never whatever the index serves today.
if [ "${SKIP_PIP:-0}" != "1" ]; then
    $PYTHON -m pip install --quiet --require-hashes --only-binary :all: -r packaging/requirements-build.lock
fi
$PYTHON packaging/build_lock.py check
$PYTHON packaging/render_icons.py >/dev/null
$PYTHON -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/wan27_desktop.spec
VERSION="$($PYTHON -c 'import wan27_desktop; print(wan27_desktop.__version__)')"
APP="dist/Wan 2.7 Desktop.app"
SELFTEST_DATA="$(mktemp -d)"
WAN27_DATA_DIR="$SELFTEST_DATA" "$APP/Contents/MacOS/wan27-desktop" --self-test
rm -rf "$SELFTEST_DATA"
# What the app is made of, read from the one-folder bundle the .app was assembled from (the same
# files; codesign below changes the Mach-O copies inside the .app, so their hashes are pre-signing).
SBOM="dist/wan27-desktop-${VERSION}-macos-$(uname -m).cdx.json"
$PYTHON packaging/sbom.py --lenient dist/wan27-desktop "$SBOM"

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
# Last: the .dmg is final only once it is signed and the notarisation ticket is stapled.
$PYTHON packaging/checksums.py dist "$DMG" "$SBOM"
ls -la "$DMG" "$SBOM" dist/SHA256SUMS
