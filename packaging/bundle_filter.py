"""Which collected files the frozen app does not need (used by wan27_desktop.spec; unit-tested).

PyInstaller collects every Qt plugin PySide6's hooks know and every shared library those plugins
link, recursively, from the build machine. Three passes take the bundle from 145 MB to the budget:

1. UNNEEDED: Qt modules, plugins and translations the app never loads (all platforms).
2. SYSTEM_PROVIDED (Linux): libraries every desktop Linux already has and that are *risky* to bundle,
   because they must match other parts of the running system (see the reasons next to each).
   The .deb lists their packages in Depends (build_linux.sh), README lists them for the .tar.gz.
3. Unreachable (Linux): after 1 and 2, system libraries at the top of the bundle that nothing left
   links against (GTK's cairo/pango/atk/gdk-pixbuf stack came in only through the GTK platform theme
   plugin removed in pass 1; libxcb's libXau/libXdmcp came in although PyInstaller drops libxcb).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

# (dest name, source path, typecode) as in PyInstaller's TOC lists.
Entry = tuple[str, str, str]

UNNEEDED = re.compile(
    r"(Qt6(Qml|Quick|Network|OpenGL|Sql|Test|Xml|PrintSupport|Designer|Help|UiTools|Concurrent|Pdf|Labs|Lottie"
    r"|Wayland(Compositor|Egl)|VirtualKeyboard|ShaderTools|Multimedia|3D|Charts|WebEngine|Positioning|Sensors"
    r"|SerialPort|SpatialAudio|TextToSpeech|RemoteObjects|Scxml|StateMachine|DataVisualization|Graphs"
    # EGLFS/KMS run Qt full-screen on a bare framebuffer (kiosks, embedded); wl-shell is the
    # pre-xdg-shell Wayland protocol no current compositor needs.
    r"|EglFSDeviceIntegration|EglFsKmsSupport|WlShellIntegration)"
    r"|plugins[/\\]platformthemes[/\\]libqgtk3|libgtk-3|libgdk-3"
    r"|plugins[/\\](designer|qmltooling|sqldrivers|printsupport|tls|networkinformation|qmllint|scenegraph"
    r"|wayland-graphics-integration-server|egldeviceintegrations|generic|multimedia|position|sensors"
    r"|texttospeech|geometryloaders|renderers|sceneparsers|canbus|virtualkeyboard|webview)"
    # A desktop app needs xcb, wayland and (for --self-test, CI, headless use) offscreen; the others
    # are for framebuffers, VNC servers and Vulkan displays without a window system.
    r"|plugins[/\\]platforms[/\\]lib(qeglfs|qlinuxfb|qminimal|qminimalegl|qvkkhrdisplay|qvnc)\."
    # xdg-shell is the desktop shell protocol (GNOME, KDE, sway, ...); the rest: fullscreen-shell
    # (kiosk), ivi-shell (cars), qt-shell (Qt's own compositors), wl-shell (obsolete).
    r"|wayland-shell-integration[/\\]lib(fullscreen-shell-v1|ivi-shell|qt-shell|wl-shell-plugin)\."
    # The *-server buffer integrations serve a Qt compositor's server-buffer extension only;
    # wayland-egl is for OpenGL windows (needs QtOpenGL, left out above): widgets draw via wl_shm.
    r"|wayland-graphics-integration-client[/\\]lib(dmabuf-server|drm-egl-server|shm-emulation-server"
    r"|vulkan-server|qt-plugin-wayland-egl)\."
    # Image formats: the app reads PNG/JPEG/WebP (results) and BMP (built in) references; GIF/ICO/
    # SVG stay for clear refusals and icons. TIFF (0.5 MB), TGA, WBMP and ICNS are never opened.
    r"|imageformats[/\\]libq(tiff|tga|wbmp|icns)\."
    r"|[/\\]qml[/\\]|translations[/\\](?!qtbase_(zh_CN|en)\.qm))"
)

# Linux system libraries left to the target system. Every one is in each desktop install, and the
# .deb depends on its package explicitly (DEB_DEPENDS in build_linux.sh).
SYSTEM_PROVIDED = re.compile(
    r"lib("
    # C++ runtime: required by apt itself (Priority: required). A bundled copy older than the
    # system's breaks the system's Mesa/Vulkan drivers that Qt loads (GLIBCXX_3.4.3x not found).
    r"stdc\+\+|gcc_s"
    # GLib (Qt's event dispatcher): must be the system's, which its GIO modules are built for.
    r"|glib-2\.0|gthread-2\.0|pcre2-8"
    # D-Bus client (Qt DBus, accessibility, portals) and its systemd/gcrypt/compression deps.
    r"|dbus-1|systemd|gcrypt|gpg-error|lz4|cap|zstd"
    # Fonts: a bundled fontconfig older than the system's fonts.conf prints "unknown element"
    # errors and ignores the user's font settings; freetype/expat/png/brotli come with it.
    r"|fontconfig|freetype|expat|png16|brotlicommon|brotlidec"
    # Keyboard: libxkbcommon must read the system's xkeyboard-config data of the same era.
    r"|xkbcommon|xkbcommon-x11"
    # X11 client core (present wherever libGL/libEGL are, which PyInstaller never bundles).
    r"|X11|X11-xcb"
    r")\.so(\.\d+)*"
)


def is_unneeded(dest: str) -> bool:
    return UNNEEDED.search(dest) is not None


def is_system_provided(dest: str) -> bool:
    return "/" not in dest and SYSTEM_PROVIDED.fullmatch(dest) is not None


def _prunable(entry: Entry) -> bool:
    """A shared library PyInstaller pulled in from the system (top level of the bundle, not a
    Python extension, not libpython): kept only while something kept links against it."""
    dest, _source, kind = entry
    return "/" not in dest and kind == "BINARY" and not dest.startswith("libpython")


def prune_unreachable(binaries: list[Entry], needed: Callable[[str], Iterable[str]]) -> list[Entry]:
    """Drop prunable libraries that no kept binary links against (transitively).

    `needed(source_path)` returns a binary's DT_NEEDED names (elfinfo.needed)."""
    by_name = {PurePosixPath(dest).name: entry for entry in binaries for dest in [entry[0]]}
    kept = {entry[0] for entry in binaries if not _prunable(entry)}
    queue = [entry for entry in binaries if not _prunable(entry)]
    while queue:
        entry = queue.pop()
        for name in needed(entry[1]):
            dep = by_name.get(name)
            if dep is not None and dep[0] not in kept:
                kept.add(dep[0])
                queue.append(dep)
    return [entry for entry in binaries if entry[0] in kept]


def drop_dangling_symlinks(datas: list[Entry], binaries: list[Entry]) -> list[Entry]:
    """PyInstaller 6 links top-level names to Qt's libraries (SYMLINK entries); drop those whose
    target is gone."""
    present = {entry[0] for entry in binaries} | {entry[0] for entry in datas if entry[2] != "SYMLINK"}
    return [entry for entry in datas if entry[2] != "SYMLINK" or entry[1] in present]


def filter_linux(
    binaries: list[Entry], datas: list[Entry], needed: Callable[[str], Iterable[str]]
) -> tuple[list[Entry], list[Entry]]:
    binaries = [entry for entry in binaries if not is_system_provided(entry[0])]
    binaries = prune_unreachable(binaries, needed)
    return binaries, drop_dangling_symlinks(datas, binaries)
