#!/usr/bin/env bash
# Build the Linux bundle, a .tar.gz of it and a .deb (installs to /opt, launcher in /usr/bin,
# .desktop file and hicolor icons). One command: packaging/build_linux.sh   (outputs in dist/)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VERSION="$($PYTHON -c 'import wan27_desktop; print(wan27_desktop.__version__)')"
ARCH_DEB="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
ARCH="$(uname -m)"

if [ "${SKIP_PIP:-0}" != "1" ]; then
    $PYTHON -m pip install --quiet ".[packaging]"
fi
$PYTHON packaging/render_icons.py >/dev/null
$PYTHON -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
    packaging/wan27_desktop.spec

BUNDLE="dist/wan27-desktop"
tar -C dist -czf "dist/wan27-desktop-${VERSION}-linux-${ARCH}.tar.gz" wan27-desktop

# .deb staging root
STAGE="build/deb/wan27-desktop_${VERSION}_${ARCH_DEB}"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/doc/wan27-desktop"
cp -a "$BUNDLE" "$STAGE/opt/wan27-desktop"
ln -s /opt/wan27-desktop/wan27-desktop "$STAGE/usr/bin/wan27-desktop"
cp packaging/linux/wan27-desktop.desktop "$STAGE/usr/share/applications/"
cp resources/icons/wan27-desktop.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/"
for dir in build/icons/hicolor/*; do
    size="$(basename "$dir")"
    mkdir -p "$STAGE/usr/share/icons/hicolor/$size/apps"
    cp "$dir/apps/wan27-desktop.png" "$STAGE/usr/share/icons/hicolor/$size/apps/"
done
cp resources/licenses/* "$STAGE/usr/share/doc/wan27-desktop/"
INSTALLED_KB="$(du -sk "$STAGE" --exclude=DEBIAN | cut -f1)"
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: wan27-desktop
Version: ${VERSION}
Section: graphics
Priority: optional
Architecture: ${ARCH_DEB}
Installed-Size: ${INSTALLED_KB}
Depends: libc6, libegl1, libgl1, libxkbcommon0, libxkbcommon-x11-0, libfontconfig1, libdbus-1-3, libxcb-cursor0
Recommends: gnome-keyring | kwalletmanager
Maintainer: Wan 2.7 Desktop contributors <maintainers@wan27desktop.invalid>
Homepage: https://example.invalid/wan27-desktop
Description: Desktop client for Alibaba Cloud Wan 2.7 image generation
 Generate and edit images with the Wan 2.7 API (wan2.7-image-pro, wan2.7-image),
 with a local offline library, a crash-safe job journal and the key in the OS keyring.
CONTROL
cat > "$STAGE/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q /usr/share/icons/hicolor || true
exit 0
POSTINST
chmod 0755 "$STAGE/DEBIAN/postinst"
dpkg-deb --root-owner-group --build "$STAGE" "dist/wan27-desktop_${VERSION}_${ARCH_DEB}.deb" >/dev/null

echo "bundle:  $BUNDLE ($(du -sh "$BUNDLE" | cut -f1) unpacked)"
ls -la dist/*.tar.gz dist/*.deb
