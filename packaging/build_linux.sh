#!/usr/bin/env bash
# Build the Linux bundle, a .tar.gz of it and a .deb (installs to /opt, launcher in /usr/bin,
# .desktop file and hicolor icons), the bundle's bill of materials (CycloneDX JSON) and SHA256SUMS
# over all three. One command: packaging/build_linux.sh   (outputs in dist/)
#
# Environment:
#   PYTHON=python3     interpreter whose site-packages are frozen (a venv of its own is best: the
#                      locked packages are installed into it, and whatever else it has may be bundled)
#   SKIP_PIP=1         do not install packaging/requirements-build.lock first; the build still
#                      fails unless PYTHON has exactly the locked versions (packaging/build_lock.py)
#   DIST_DIR=dist      where the bundle, .tar.gz and .deb go
#   WORK_DIR=build     PyInstaller's work files, rendered icons, .deb staging
#   TRIM_ICU=0         keep Qt's full 32 MB ICU data (default: trim it, see packaging/trim_icu.py)
# Needs: binutils (PyInstaller's objdump/strip; as/ld for the ICU trim), dpkg-deb.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
DIST_DIR="$(mkdir -p "${DIST_DIR:-dist}" && cd "${DIST_DIR:-dist}" && pwd)"
WORK_DIR="$(mkdir -p "${WORK_DIR:-build}" && cd "${WORK_DIR:-build}" && pwd)"
VERSION="$($PYTHON -c 'import wan27_desktop; print(wan27_desktop.__version__)')"
ARCH_DEB="$(dpkg --print-architecture 2>/dev/null || echo amd64)"
ARCH="$(uname -m)"
# The build's inputs are the locked, hashed wheels, never whatever the index serves today.
if [ "${SKIP_PIP:-0}" != "1" ]; then
    $PYTHON -m pip install --quiet --require-hashes --only-binary :all: -r packaging/requirements-build.lock
fi
$PYTHON packaging/build_lock.py check
export WAN27_ICON_DIR="$WORK_DIR/icons"   # read by the spec too
$PYTHON packaging/render_icons.py "$WAN27_ICON_DIR" >/dev/null
$PYTHON -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST_DIR" --workpath "$WORK_DIR/pyinstaller" \
    packaging/wan27_desktop.spec

BUNDLE="$DIST_DIR/wan27-desktop"
if [ "${TRIM_ICU:-1}" != "0" ]; then
    $PYTHON packaging/trim_icu.py "$BUNDLE"
fi
# Depends from what the bundle links against; fails when a library is neither bundled nor known.
DEB_DEPENDS="$($PYTHON packaging/linux_deps.py "$BUNDLE")"
# The frozen app must start before anything is packaged (offscreen: no display needed).
SELFTEST_DATA="$(mktemp -d)"
QT_QPA_PLATFORM=offscreen WAN27_DATA_DIR="$SELFTEST_DATA" "$BUNDLE/wan27-desktop" --self-test >/dev/null
rm -rf "$SELFTEST_DATA"
# What the bundle is made of, read from the bundle itself (after the ICU trim: the files shipped).
SBOM="$DIST_DIR/wan27-desktop-${VERSION}-linux-${ARCH}.cdx.json"
$PYTHON packaging/sbom.py "$BUNDLE" "$SBOM"
TARBALL="$DIST_DIR/wan27-desktop-${VERSION}-linux-${ARCH}.tar.gz"
tar -C "$DIST_DIR" -czf "$TARBALL" wan27-desktop

# .deb staging root
STAGE="$WORK_DIR/deb/wan27-desktop_${VERSION}_${ARCH_DEB}"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/icons/hicolor/scalable/apps" "$STAGE/usr/share/doc/wan27-desktop"
cp -a "$BUNDLE" "$STAGE/opt/wan27-desktop"
ln -s /opt/wan27-desktop/wan27-desktop "$STAGE/usr/bin/wan27-desktop"
cp packaging/linux/wan27-desktop.desktop "$STAGE/usr/share/applications/"
cp resources/icons/wan27-desktop.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/"
for dir in "$WAN27_ICON_DIR"/hicolor/*; do
    size="$(basename "$dir")"
    mkdir -p "$STAGE/usr/share/icons/hicolor/$size/apps"
    cp "$dir/apps/wan27-desktop.png" "$STAGE/usr/share/icons/hicolor/$size/apps/"
done
cp resources/licenses/* "$STAGE/usr/share/doc/wan27-desktop/"
{   # Debian policy: the licence of the package itself in /usr/share/doc/<package>/copyright.
    echo "Wan 2.7 Desktop ${VERSION}"
    echo "Third-party components and their licences: THIRD_PARTY_NOTICES.md in this folder."
    echo
    cat LICENSE
} > "$STAGE/usr/share/doc/wan27-desktop/copyright"
# 0644 files / 0755 directories and executables whatever the builder's umask.
find "$STAGE" -type d -exec chmod 0755 {} +
find "$STAGE/usr" -type f -exec chmod 0644 {} +
INSTALLED_KB="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: wan27-desktop
Version: ${VERSION}
Section: graphics
Priority: optional
Architecture: ${ARCH_DEB}
Installed-Size: ${INSTALLED_KB}
Depends: ${DEB_DEPENDS}
Recommends: gnome-keyring | kwalletmanager
Maintainer: Wan 2.7 Desktop contributors <maintainers@wan27desktop.invalid>
Homepage: https://example.invalid/wan27-desktop
Description: Desktop client for Alibaba Cloud Wan 2.7 image generation
 Generate and edit images with the Wan 2.7 API (wan2.7-image-pro, wan2.7-image),
 with a local offline library, a crash-safe job journal and the key in the OS keyring.
CONTROL
# Refresh the menu and icon caches after install and after removal.
REFRESH='    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true'
printf '#!/bin/sh\nset -e\nif [ "$1" = configure ]; then\n%s\nfi\nexit 0\n' "$REFRESH" > "$STAGE/DEBIAN/postinst"
printf '#!/bin/sh\nset -e\nif [ "$1" = remove ] || [ "$1" = purge ]; then\n%s\nfi\nexit 0\n' "$REFRESH" \
    > "$STAGE/DEBIAN/postrm"
chmod 0755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"
DEB="$DIST_DIR/wan27-desktop_${VERSION}_${ARCH_DEB}.deb"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null

$PYTHON packaging/checksums.py "$DIST_DIR" "$TARBALL" "$DEB" "$SBOM"

echo "bundle:  $BUNDLE ($(du -sh "$BUNDLE" | cut -f1) unpacked)"
ls -la "$TARBALL" "$DEB" "$SBOM" "$DIST_DIR/SHA256SUMS"
