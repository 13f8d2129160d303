"""A CycloneDX 1.6 bill of materials of a built PyInstaller bundle, made from what is in it.

    python packaging/sbom.py dist/wan27-desktop dist/wan27-desktop-0.1.0-linux-x86_64.cdx.json

Run it with the interpreter that froze the bundle (the build scripts do): it reads the bundle's
executable archive (every Python module frozen into it) and walks its contents folder (every file
shipped), then names each one's owner from that interpreter's installed-package records (RECORD):

- Python packages: every distribution with a module or file in the bundle, with its version and
  the licence its metadata declares (License-Expression, else an SPDX-looking License field, else
  the unambiguous licence classifiers; anything else is quoted as a name, never guessed).
- Qt: every Qt library and plugin shipped, with its SHA-256 and the licence we use Qt under
  (LGPL-3.0-only, resources/licenses/THIRD_PARTY_NOTICES.md).
- CPython (interpreter, standard library) and the other native libraries the bundle carries, named
  after the package they came from where the build machine knows it (Debian on Linux).

A module or file whose owner cannot be named fails the run: a bill of materials that does not know
what something is would be wrong about it.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.machinery
import importlib.metadata
import json
import platform
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGE = "wan27_desktop"
APP_NAME = "wan27-desktop"
BUILD_INFO = "build_info.json"  # wan27_desktop/buildinfo.py FILE_NAME, at the contents folder's root
QT_LICENCE = "LGPL-3.0-only"
CPYTHON_LICENCE = "PSF-2.0"
SPEC_VERSION = "1.6"
PROPERTY = "wan27:"  # our namespace for CycloneDX properties
SHIPPED_BY = PROPERTY + "shipped-by"
QT_DISTRIBUTIONS = ("pyside6-essentials", "pyside6-addons", "pyside6")

# A Qt library as each platform names it; plugins are whatever sits in a Qt plugins folder.
QT_LIBRARY = re.compile(
    r"(^|/)(lib(?P<linux>Qt6\w+)\.so[.\d]*|(?P<windows>Qt6\w+)\.dll|Qt\w+\.framework/Versions/[^/]+/(?P<mac>Qt\w+))$"
)
QT_PLUGIN = re.compile(r"(^|/)plugins/(?P<kind>[^/]+)/(lib)?(?P<name>[^/]+?)\.(so|dll|dylib)$")
NATIVE = re.compile(r"\.(so(\.[\w.]+)?|dll|dylib|pyd)$|\.framework/Versions/[^/]+/[^/.]+$")
# PyInstaller's loader modules and run-time hooks keep their own names in the bundle.
PYINSTALLER_NAMES = re.compile(r"^(pyimod\d\d_|pyiboot\d\d_|pyi_rth_|_pyi_rth_utils)")
# Unambiguous licence classifiers only: "BSD License" or "GPLv2" do not say which licence exactly.
CLASSIFIERS = {
    "License :: OSI Approved :: MIT License": "MIT",
    "License :: OSI Approved :: Apache Software License": "Apache-2.0",
    "License :: OSI Approved :: Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "License :: OSI Approved :: ISC License (ISCL)": "ISC",
    "License :: OSI Approved :: Python Software Foundation License": "PSF-2.0",
    "License :: OSI Approved :: The Unlicense (Unlicense)": "Unlicense",
}
# License fields that are prose, with the SPDX expression their projects mean by them.
KNOWN_LICENCE_TEXTS = {
    "GPLv2-or-later with a special exception which allows to use PyInstaller": (
        "GPL-2.0-or-later WITH Bootloader-exception"
    ),
}
SPDX_IDS_WITHOUT_DIGITS = {"MIT", "ISC", "Zlib", "Unlicense", "NCSA", "X11", "PostgreSQL", "curl", "WTFPL"}
# Native libraries inside a Python wheel that carry their own licence, not the wheel's.
EMBEDDED_LIBRARIES = {
    re.compile(r"(^|/)(lib)?icu(data|i18n|uc)[\w.]*\.(so|dll|dylib)"): ("ICU", "Unicode-3.0"),
}


class SbomError(Exception):
    pass


# -- licences --------------------------------------------------------------------------------------
def _spdx_like(text: str) -> bool:
    """True for an SPDX licence expression such as "MIT OR Apache-2.0" (not for prose)."""
    tokens = re.findall(r"\(|\)|[^\s()]+", text)
    expect_id, after_with = True, False
    for token in tokens:
        if token in "()":
            continue
        if expect_id:
            looks = re.fullmatch(r"[A-Za-z0-9.+-]+", token) is not None and (
                token.startswith("LicenseRef-")
                or token in SPDX_IDS_WITHOUT_DIGITS
                or ("exception" in token.lower() if after_with else ("-" in token and any(c.isdigit() for c in token)))
            )
            if not looks:
                return False
            expect_id = False
        else:
            if token not in ("AND", "OR", "WITH"):
                return False
            expect_id, after_with = True, token == "WITH"
    return bool(tokens) and not expect_id


def licences(meta: Any) -> list[dict[str, Any]]:
    """CycloneDX `licenses` for a distribution's metadata ([] when it declares none)."""
    expression = (meta.get("License-Expression") or "").strip()
    text = (meta.get("License") or "").strip()
    for prefix, known in KNOWN_LICENCE_TEXTS.items():
        if text.startswith(prefix):
            expression = expression or known
    if not expression and text and "\n" not in text and _spdx_like(text):
        expression = text
    if not expression:
        classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
        mapped = [CLASSIFIERS.get(c) for c in classifiers]
        if classifiers and all(mapped):
            expression = " OR ".join(dict.fromkeys(m for m in mapped if m))
        elif classifiers:
            return [{"license": {"name": c.rsplit(" :: ", 1)[-1]}} for c in classifiers]
        elif text:
            return [{"license": {"name": text.splitlines()[0][:200]}}]
    return _expression(expression) if expression else []


def _expression(expression: str) -> list[dict[str, Any]]:
    if re.fullmatch(r"[A-Za-z0-9.+-]+", expression):
        return [{"license": {"id": expression}}]
    return [{"expression": expression}]


# -- who owns what -----------------------------------------------------------------------------------
@dataclass
class Owner:
    """A component: something the bundle's files and modules came from."""

    ref: str
    kind: str  # "library" | "framework" | "application" | "operating-system"
    name: str
    version: str
    licences: list[dict[str, Any]]
    purl: str | None = None
    group: str | None = None
    description: str | None = None
    properties: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)  # bundle-relative, POSIX
    modules: int = 0
    hashes: dict[str, str] = field(default_factory=dict)

    def component(self) -> dict[str, Any]:
        item: dict[str, Any] = {"type": self.kind, "bom-ref": self.ref}
        if self.group:
            item["group"] = self.group
        item["name"] = self.name
        if self.version:
            item["version"] = self.version
        if self.description:
            item["description"] = self.description
        if self.hashes:
            item["hashes"] = [{"alg": alg, "content": digest} for alg, digest in self.hashes.items()]
        if self.licences:
            item["licenses"] = self.licences
        if self.purl:
            item["purl"] = self.purl
        properties = dict(self.properties)
        if self.modules:
            properties[PROPERTY + "python-modules"] = str(self.modules)
        if self.files:
            properties[PROPERTY + "files"] = str(len(self.files))
        if properties:
            item["properties"] = [{"name": k, "value": v} for k, v in sorted(properties.items())]
        return item


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _module_of(path: str) -> str | None:
    """'a/b/c.py' -> 'a.b.c', 'a/b/__init__.py' -> 'a.b', 'a/m.abi3.so' -> 'a.m'; else None."""
    parts = path.split("/")
    if any(p in ("", "..", "__pycache__") for p in parts) or ".dist-info" in path:
        return None
    name = parts[-1]
    if name.endswith(".py"):
        stem = name[:-3]
    else:
        stem = next((name[: -len(s)] for s in EXTENSION_SUFFIXES if name.endswith(s)), "")
        if not stem:
            return None
    dotted = [*parts[:-1], stem] if stem != "__init__" else parts[:-1]
    return ".".join(dotted) if dotted else None


# The interpreter's own suffixes first (".cpython-311-x86_64-linux-gnu.so"), then any platform's.
EXTENSION_SUFFIXES = [*importlib.machinery.EXTENSION_SUFFIXES, ".pyd", ".so"]


@dataclass(eq=False)
class Dist:
    """One installed distribution, its metadata read once."""

    name: str
    version: str
    meta: Any

    @property
    def purl(self) -> str:
        return f"pkg:pypi/{_normalise(self.name)}@{self.version}"


class Index:
    """The interpreter's installed distributions: which one installed each file and module."""

    def __init__(self, distributions: Iterable[importlib.metadata.Distribution]) -> None:
        self.by_file: dict[str, Dist] = {}
        self.by_module: dict[str, Dist] = {}
        self.by_dist_info: dict[str, Dist] = {}
        self.packages: set[str] = set()  # every dotted prefix of an installed module (namespaces too)
        seen: set[str] = set()
        for distribution in distributions:
            meta = distribution.metadata
            key = _normalise(meta["Name"] or "")
            if not key or key in seen or key == APP_NAME:  # first on sys.path wins, as for imports
                continue
            seen.add(key)
            dist = Dist(meta["Name"], distribution.version, meta)
            for file in distribution.files or ():
                posix = str(file).replace("\\", "/")
                self.by_file.setdefault(posix, dist)
                module = _module_of(posix)
                if module:
                    self.by_module.setdefault(module, dist)
                    parts = module.split(".")
                    self.packages.update(".".join(parts[:i]) for i in range(1, len(parts)))
                top = posix.split("/")[0]
                if top.endswith(".dist-info"):
                    self.by_dist_info.setdefault(top, dist)

    def module_owner(self, module: str) -> Dist | None:
        found = self.by_module.get(module)
        if found is None and PYINSTALLER_NAMES.match(module):
            # Loader modules and run-time hooks are installed under a package, frozen at top level.
            tail = "/" + module.replace(".", "/")
            owners = {
                id(d): d for path, d in self.by_file.items() if path.endswith((tail + ".py", tail + "/__init__.py"))
            }
            found = next(iter(owners.values())) if len(owners) == 1 else None
        return found

    def is_namespace(self, module: str) -> bool:
        return module in self.packages


def _stdlib(module: str) -> bool:
    top = module.split(".")[0]
    return top in sys.stdlib_module_names or top.startswith("_sysconfigdata")


# -- reading the bundle ------------------------------------------------------------------------------
def executable(bundle: Path) -> Path:
    for name in (APP_NAME, APP_NAME + ".exe"):
        if (bundle / name).is_file():
            return bundle / name
    raise SbomError(f"{bundle} holds no {APP_NAME} executable: is it a PyInstaller one-folder bundle?")


def frozen_modules(exe: Path) -> tuple[list[str], str]:
    """(every module and script in the executable's archive, the contents folder's name)."""
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(exe))
    contents = "_internal"
    for option in archive.options:
        if option.startswith("pyi-contents-directory "):
            contents = option.split(" ", 1)[1]
    names = [name for name, entry in archive.toc.items() if entry[-1] in ("m", "M", "s")]
    for name, entry in archive.toc.items():
        if entry[-1] == "z":  # the PYZ: the frozen Python modules
            names += list(archive.open_embedded_archive(name).toc)
    return names, contents


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _qt_version() -> str:
    try:
        from PySide6.QtCore import qVersion

        return str(qVersion())
    except ImportError as err:
        raise SbomError(f"PySide6 is not importable by {sys.executable}: run this with the build's Python") from err


def _ldconfig_listing() -> list[str]:
    ldconfig = shutil.which("ldconfig") or ("/sbin/ldconfig" if Path("/sbin/ldconfig").exists() else None)
    if ldconfig is None:
        return []
    return subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout.splitlines()


def debian_packages(libraries: Iterable[str]) -> dict[str, tuple[str, str]]:
    """library file name -> (package, version) of the Debian package that installed it, where dpkg knows."""
    names = set(libraries)
    if not names or not shutil.which("dpkg-query"):
        return {}
    paths: dict[str, str] = {}  # path on this system -> library name
    for line in _ldconfig_listing():
        name, _, path = line.strip().partition(" => ")
        name = name.split(" ", 1)[0]
        if name in names and path:
            paths[path] = name
            paths[str(Path(path).resolve())] = name  # dpkg may know the /usr/lib or the real path
    if not paths:
        return {}
    owners = subprocess.run(["dpkg-query", "-S", *paths], capture_output=True, text=True, check=False).stdout
    found: dict[str, str] = {}
    for line in owners.splitlines():
        package, _, path = line.partition(": ")
        if path.strip() in paths:
            found.setdefault(paths[path.strip()], package.split(",")[0].strip())
    if not found:
        return {}
    versions = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}:${Architecture} ${Version}\\n", *sorted(set(found.values()))],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    version_of: dict[str, str] = {}
    for line in versions.splitlines():
        package, _, version = line.partition(" ")
        version_of[package] = version
        version_of.setdefault(package.split(":")[0], version)
    return {name: (package.split(":")[0], version_of.get(package, "")) for name, package in found.items()}


def _os_release_id() -> str:
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("ID="):
                return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return "debian"


def _interpreter_files() -> set[str]:
    """Names of the files that make up this interpreter's installation (not its site-packages)."""
    base = Path(sys.base_prefix)
    names: set[str] = set()
    for folder in (base, base / "DLLs", base / "lib", base / "bin", Path(sys.executable).resolve().parent):
        if folder.is_dir():
            names.update(p.name for p in folder.iterdir() if p.is_file())
    return names


def _app_version() -> str:
    text = (ROOT / APP_PACKAGE / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if not match:
        raise SbomError("no __version__ in wan27_desktop/__init__.py")
    return match.group(1)


def _app_licence() -> str:
    match = re.search(r'^license = "([^"]+)"', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else "NOASSERTION"


# -- the bill ----------------------------------------------------------------------------------------
class Bill:
    """Every module and file of one bundle, each under the component it came from."""

    def __init__(self, bundle: Path, index: Index) -> None:
        self.bundle = bundle.resolve()
        self.exe = executable(self.bundle)
        self.modules, self.contents_name = frozen_modules(self.exe)
        self.contents = self.bundle / self.contents_name
        self.index = index
        info = self.contents / BUILD_INFO
        self.build: dict[str, Any] = json.loads(info.read_text(encoding="utf-8")) if info.is_file() else {}
        self.version = str(self.build.get("version") or _app_version())
        self.app = Owner(f"pkg:generic/{APP_NAME}@{self.version}", "application", APP_NAME, self.version, [])
        self.app.licences, self.app.purl = _expression(_app_licence()), self.app.ref
        for key in ("commit", "built"):
            if self.build.get(key):
                self.app.properties[PROPERTY + key] = str(self.build[key])
        if self.build.get("dirty"):
            self.app.properties[PROPERTY + "built-with-local-changes"] = "true"
        python = platform.python_version()
        self.cpython = Owner(f"pkg:generic/cpython@{python}", "framework", "CPython", python, [])
        self.cpython.licences, self.cpython.purl = _expression(CPYTHON_LICENCE), self.cpython.ref
        self.cpython.description = "Python interpreter and standard library"
        self.qt_version = _qt_version()
        self.owners: dict[str, Owner] = {}
        self.unknown: list[str] = []

    def dist_owner(self, dist: Dist) -> Owner:
        if dist.purl not in self.owners:
            summary = dist.meta["Summary"]
            self.owners[dist.purl] = Owner(
                dist.purl, "library", dist.name, dist.version, licences(dist.meta), dist.purl, None, summary
            )
        return self.owners[dist.purl]

    def file_owner(self, ref: str, path: Path, name: str, version: str, licence: str | None, **extra: Any) -> Owner:
        """A component of its own for one shipped binary, with the file's SHA-256."""
        owner = Owner(ref, "library", name, version, _expression(licence) if licence else [], **extra)
        owner.properties[PROPERTY + "path"] = path.relative_to(self.bundle).as_posix()
        owner.hashes["SHA-256"] = _sha256(path)
        self.owners[ref] = owner
        return owner

    def add_modules(self) -> None:
        for module in sorted(set(self.modules)):
            if module.split(".")[0] == APP_PACKAGE or (ROOT / "packaging" / f"{module}.py").is_file():
                self.app.modules += 1  # the package, and packaging/launcher.py (the entry script)
            elif _stdlib(module):
                self.cpython.modules += 1
            elif (dist := self.index.module_owner(module)) is not None:
                self.dist_owner(dist).modules += 1
            elif not self.index.is_namespace(module):
                self.unknown.append(module)

    def add_files(self) -> None:
        interpreter_files = _interpreter_files()
        natives: list[Owner] = []
        for path in sorted(p for p in self.bundle.rglob("*") if p.is_file() and not p.is_symlink()):
            rel = path.relative_to(self.bundle).as_posix()
            if path == self.exe:
                bootloader = self.index.by_file.get("PyInstaller/__init__.py")
                if bootloader is None:
                    raise SbomError(
                        "PyInstaller is not installed in this interpreter: run this with the build's Python"
                    )
                self.dist_owner(bootloader).files.append(rel)
                self.dist_owner(bootloader).properties[PROPERTY + "bootloader"] = rel
                continue
            if not path.is_relative_to(self.contents):
                self.unknown.append(rel)
                continue
            inner = path.relative_to(self.contents).as_posix()
            top = inner.split("/")[0]
            dist = self.index.by_file.get(inner) or self.index.by_dist_info.get(top)
            if dist is not None:
                self.add_distribution_file(dist, path, inner, top)
            elif inner == BUILD_INFO or top == "resources":
                self.app.files.append(rel)
            elif top == "base_library.zip" or _stdlib_extension(inner) or path.name in interpreter_files:
                self.cpython.files.append(rel)
            elif NATIVE.search(inner):
                natives.append(
                    self.file_owner(f"lib:{inner}", path, path.name, "", None, properties={SHIPPED_BY: "build system"})
                )
            else:
                self.unknown.append(rel)
        if sys.platform.startswith("linux"):
            self.name_debian_packages(natives)

    def add_distribution_file(self, dist: Dist, path: Path, inner: str, top: str) -> None:
        _check_dist_info_version(top, dist)
        qt, plugin = QT_LIBRARY.search(inner), QT_PLUGIN.search(inner)
        if _normalise(dist.name) in QT_DISTRIBUTIONS and (qt or plugin):
            if qt:
                name, kind = qt.group("linux") or qt.group("windows") or qt.group("mac"), "library"
            else:
                assert plugin is not None
                name, kind = f"{plugin.group('kind')}/{plugin.group('name')}", "plugin"
            properties = {PROPERTY + "qt-kind": kind, SHIPPED_BY: dist.purl}
            self.file_owner(f"qt:{inner}", path, name, self.qt_version, QT_LICENCE, group="Qt", properties=properties)
            return
        for pattern, (group, licence) in EMBEDDED_LIBRARIES.items():
            if pattern.search(inner):
                properties = {SHIPPED_BY: dist.purl}
                major = re.search(r"\d+", path.name)  # libicuuc.so.73, icuuc73.dll: the major version
                version = major.group(0) if major else ""
                self.file_owner(f"lib:{inner}", path, path.name, version, licence, group=group, properties=properties)
                return
        self.dist_owner(dist).files.append(path.relative_to(self.bundle).as_posix())

    def name_debian_packages(self, natives: list[Owner]) -> None:
        """System libraries PyInstaller copied in: name the Debian package (and version) each came from."""
        packages = debian_packages(owner.name for owner in natives)
        distro, arch = _os_release_id(), _deb_arch()
        for owner in natives:
            if owner.name in packages:
                package, version = packages[owner.name]
                owner.version = version
                owner.purl = f"pkg:deb/{distro}/{package}@{version}?arch={arch}"
                owner.properties[SHIPPED_BY] = f"{distro} package {package}"

    def document(self, strict: bool = True) -> dict[str, Any]:
        """The CycloneDX document. Modules or files without a known owner fail it when `strict`;
        otherwise they are listed in the metadata as unattributed (and reported by main())."""
        if self.unknown and strict:
            raise SbomError(
                f"cannot name the owner of {len(self.unknown)} modules/files: {', '.join(self.unknown[:30])} "
                "(run this with the interpreter that built the bundle)"
            )
        components = [self.cpython, *sorted(self.owners.values(), key=lambda o: (o.group or "", o.name.lower(), o.ref))]
        build = self.build
        seed = f"{APP_NAME}/{self.version}/{build.get('commit')}/{build.get('built')}/{build_platform()}"
        metadata: dict[str, Any] = {
            "tools": {"components": [{"type": "application", "group": APP_NAME, "name": "packaging/sbom.py"}]},
            "component": self.app.component(),
            "properties": [
                {"name": PROPERTY + "platform", "value": build_platform()},
                {"name": PROPERTY + "contents-folder", "value": self.contents_name},
                *({"name": PROPERTY + "unattributed", "value": item} for item in self.unknown),
            ],
        }
        if build.get("built"):
            metadata = {"timestamp": build["built"], **metadata}
        return {
            "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
            "bomFormat": "CycloneDX",
            "specVersion": SPEC_VERSION,
            "serialNumber": uuid.uuid5(uuid.NAMESPACE_URL, seed).urn,  # same build, same serial number
            "version": 1,
            "metadata": metadata,
            "components": [c.component() for c in components],
            "dependencies": [
                {"ref": self.app.ref, "dependsOn": [c.ref for c in components]},
                *({"ref": c.ref} for c in components),
            ],
        }


def build_sbom(
    bundle: Path, distributions: Iterable[importlib.metadata.Distribution] | None = None, strict: bool = True
) -> dict[str, Any]:
    """The CycloneDX document (a dict) for `bundle`, owners looked up in `distributions` (default:
    everything this interpreter has installed)."""
    bill = Bill(bundle, Index(importlib.metadata.distributions() if distributions is None else distributions))
    bill.add_modules()
    bill.add_files()
    return bill.document(strict)


def _stdlib_extension(inner: str) -> bool:
    module = _module_of(inner.rsplit("/", 1)[-1])
    return module is not None and _stdlib(module)


def _check_dist_info_version(top: str, dist: Dist) -> None:
    """A bundled `name-version.dist-info` must be the version installed: else this is the wrong Python."""
    if top.endswith(".dist-info"):
        bundled = top[: -len(".dist-info")].rsplit("-", 1)[-1]
        if bundled != dist.version:
            raise SbomError(f"the bundle has {top} but this interpreter has {dist.name} {dist.version}")


def _deb_arch() -> str:
    if shutil.which("dpkg"):
        done = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=False)
        if done.returncode == 0:
            return done.stdout.strip()
    return platform.machine()


def build_platform() -> str:
    return f"{sys.platform}-{platform.machine().lower()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the one-folder bundle (dist/wan27-desktop)")
    parser.add_argument("output", type=Path, help="where to write the CycloneDX JSON")
    parser.add_argument(
        "--lenient",
        action="store_true",
        help="list files without a known owner as unattributed instead of failing (builds not tested here)",
    )
    args = parser.parse_args(argv)
    try:
        sbom = build_sbom(args.bundle, strict=not args.lenient)
    except SbomError as err:
        print(f"sbom: {err}", file=sys.stderr)
        return 1
    for item in sbom["metadata"]["properties"]:
        if item["name"] == PROPERTY + "unattributed":
            print(f"sbom: WARNING: owner unknown: {item['value']}", file=sys.stderr)
    args.output.write_text(json.dumps(sbom, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    listed = sbom["components"]
    qt = sum(1 for c in listed if c.get("group") == "Qt")
    python = sum(1 for c in listed if c.get("purl", "").startswith("pkg:pypi/"))
    print(
        f"sbom: {args.output.name}: {python} Python packages, {qt} Qt libraries and plugins, {len(listed)} components"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
