#!/usr/bin/env bash
# Build "Wan 2.7 Desktop.app" and a .dmg. One command: packaging/build_macos.sh   (outputs in dist/)
# Signing and notarisation run only when their secrets are set (see README, "Signing").
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
$PYTHON -m pip install --quiet ".[packaging]"
$PYTHON packaging/render_icons.py >/dev/null
$PYTHON -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/wan27_desktop.spec
VERSION="$($PYTHON -c 'import wan27_desktop; print(wan27_desktop.__version__)')"
APP="dist/Wan 2.7 Desktop.app"
"$APP/Contents/MacOS/wan27-desktop" --self-test

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    codesign --deep --force --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$APP"
fi
DMG="dist/wan27-desktop-${VERSION}-macos-$(uname -m).dmg"
rm -f "$DMG"
hdiutil create -volname "Wan 2.7 Desktop" -srcfolder "$APP" -ov -format UDZO "$DMG"
if [ -n "${MACOS_NOTARY_APPLE_ID:-}" ] && [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
    codesign --force --sign "$MACOS_SIGN_IDENTITY" "$DMG"
    xcrun notarytool submit "$DMG" --apple-id "$MACOS_NOTARY_APPLE_ID" \
        --team-id "$MACOS_NOTARY_TEAM_ID" --password "$MACOS_NOTARY_PASSWORD" --wait
    xcrun stapler staple "$DMG"
fi
ls -la "$DMG"
