"""The UI language: Qt translators for the app and for Qt's own dialogs, and translated API texts.

    language = install_translators(app, settings.language)   # once, before any window is built

Sources are `resources/i18n/wan27_desktop_<lang>.ts` (pyside6-lupdate over the package, see
packaging/update_translations.py); the compiled `.qm` files sit beside them and are committed, so a
plain `pip install` has them; the PyInstaller spec compiles them again at build time. English is the
source language: its catalogue only holds the singular/plural forms of `%n` messages.

A language change applies at the next start: widgets set their texts once, when they are built.

The API layer is Qt-free and marks its texts with `api.translatable.QT_TRANSLATE_NOOP`; the helpers
here (`error_message`, `hint_text`, `issue_text` ...) translate them when the UI shows them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from wan27_desktop.api.errors import ValidationError, ValidationIssue, WanError
from wan27_desktop.api.models import Mode, Region
from wan27_desktop.api.translatable import ERROR_CONTEXT, ISSUE_CONTEXT, QT_TRANSLATE_NOOP
from wan27_desktop.resource_files import resource
from wan27_desktop.settings import Language

if TYPE_CHECKING:
    from wan27_desktop.library.job_records import JobRecord

log = logging.getLogger(__name__)

CATALOG = "wan27_desktop"  # resources/i18n/wan27_desktop_<lang>.qm
ENGLISH, CHINESE = "en", "zh_CN"
UI_LANGUAGES = (ENGLISH, CHINESE)
API_CONTEXT = "ApiText"

# Texts that api/models.py and api/rules.py show as they are (Qt-free, unmarked there): listed here so
# lupdate extracts them, translated with `api_text`. tests/ui/test_i18n.py checks the list is complete.
_API_TEXTS = (
    QT_TRANSLATE_NOOP("ApiText", "Singapore (International)"),
    QT_TRANSLATE_NOOP("ApiText", "China (Beijing)"),
    QT_TRANSLATE_NOOP("ApiText", "Text to image"),
    QT_TRANSLATE_NOOP("ApiText", "Text to image set"),
    QT_TRANSLATE_NOOP("ApiText", "Edit / multi-reference"),
    QT_TRANSLATE_NOOP("ApiText", "Image to image set"),
    QT_TRANSLATE_NOOP(
        "ApiText", "Thinking mode applies only to text-to-image; it is ignored when reference images are used."
    ),
    QT_TRANSLATE_NOOP("ApiText", "Thinking mode does not apply to image sets."),
)

_installed: list[QTranslator] = []


# -- choosing and installing the language ----------------------------------------------------------
def resolve_language(language: Language, ui_languages: Sequence[str] | None = None) -> str:
    """'en' or 'zh_CN'. SYSTEM follows the system's preferred UI languages in order: the first
    Chinese (any script or region: Simplified is the Chinese we have) or English one wins."""
    if language is Language.ENGLISH:
        return ENGLISH
    if language is Language.CHINESE_SIMPLIFIED:
        return CHINESE
    preferred = QLocale.system().uiLanguages() if ui_languages is None else ui_languages
    for name in preferred:
        code = name.replace("-", "_").lower()
        if code == "zh" or code.startswith("zh_"):
            return CHINESE
        if code == "en" or code.startswith("en_"):
            return ENGLISH
    return ENGLISH


def translations_dir() -> Path:
    return resource("i18n")


def qt_translations_dir() -> Path:
    """Qt's own catalogues (qtbase_zh_CN.qm: standard buttons, file and colour dialogs)."""
    path = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if (path / "qtbase_zh_CN.qm").is_file():
        return path
    from PySide6 import QtCore  # a frozen bundle keeps them at PySide6/Qt/translations (packaging/bundle_filter.py)

    return Path(QtCore.__file__).resolve().parent / "Qt" / "translations"  # QtCore's file is in PySide6/


def _load(directory: Path, name: str) -> QTranslator | None:
    translator = QTranslator()
    if translator.load(name, str(directory)):
        return translator
    log.warning("Translation %s not found or unreadable in %s; that part stays in English", name, directory)
    return None


def install_translators(app: QCoreApplication, language: Language | str) -> str:
    """Install the app's and Qt's translators for `language` (a settings value) and make its locale
    the default. Returns the UI language used ('en' or 'zh_CN'). Calling again replaces them."""
    uninstall_translators(app)
    try:
        chosen = resolve_language(Language(language))
    except ValueError:
        chosen = resolve_language(Language.SYSTEM)
    catalogues: list[tuple[Path, str]] = [(translations_dir(), f"{CATALOG}_{chosen}")]
    if chosen == CHINESE:
        catalogues.append((qt_translations_dir(), "qtbase_zh_CN"))
    for directory, name in catalogues:
        translator = _load(directory, name)
        if translator is not None and app.installTranslator(translator):
            _installed.append(translator)
    system = QLocale.system()
    same_language = system.name().startswith("zh" if chosen == CHINESE else "en")
    QLocale.setDefault(system if same_language else QLocale(chosen if chosen == CHINESE else "en_US"))
    return chosen


def catalogue_problems() -> list[str]:
    """For --self-test: every catalogue the app can install, loaded once (not installed)."""
    wanted = [(translations_dir(), f"{CATALOG}_{language}") for language in UI_LANGUAGES]
    wanted.append((qt_translations_dir(), "qtbase_zh_CN"))
    return [
        f"{name}.qm missing or unreadable in {directory}"
        for directory, name in wanted
        if QTranslator().load(name, str(directory)) is False
    ]


def uninstall_translators(app: QCoreApplication) -> None:
    """Remove what `install_translators` installed (tests switch languages in one process)."""
    while _installed:
        app.removeTranslator(_installed.pop())
    QLocale.setDefault(QLocale.system())


def language_choices() -> list[tuple[Language, str]]:
    """(setting, label) for a language picker. Each language is named in itself, as is usual."""
    return [
        (Language.SYSTEM, QCoreApplication.translate("Language", "Same as the system")),
        (Language.ENGLISH, "English"),
        (Language.CHINESE_SIMPLIFIED, "简体中文"),
    ]


def restart_note() -> str:
    """Shown next to the language picker."""
    return QCoreApplication.translate("Language", "A new language takes effect after a restart.")


# -- API texts -------------------------------------------------------------------------------------
def api_text(text: str) -> str:
    """A label or rule text from api/models.py or api/rules.py, translated (see _API_TEXTS)."""
    return QCoreApplication.translate(API_CONTEXT, text)


def region_name(region: Region) -> str:
    return api_text(region.label)


def mode_name(mode: Mode) -> str:
    return api_text(mode.label)


_BATCH_KINDS = {
    "images": QT_TRANSLATE_NOOP("BatchKind", "each image"),
    "list": QT_TRANSLATE_NOOP("BatchKind", "list"),
    "matrix": QT_TRANSLATE_NOOP("BatchKind", "matrix"),
}


def batch_kind_name(kind: str) -> str:
    """A batch's source kind as the batch list and the gallery's Batch filter name it."""
    text = _BATCH_KINDS.get(kind)
    return QCoreApplication.translate("BatchKind", text) if text else kind


def hint_text(hint: str | None) -> str:
    """An error hint (an API default hint, also one stored in the job journal), translated when known."""
    return QCoreApplication.translate(ERROR_CONTEXT, hint) if hint else ""


def message_text(message: str | None) -> str:
    """An error message stored as text (the job journal), translated when it is a marked API text."""
    return QCoreApplication.translate(ERROR_CONTEXT, message) if message else ""


def _error_text(template: str, values: Mapping[str, object]) -> str:
    """A WanError message (`template` + `values`) in the UI language. Values that are marked texts
    (a plain network reason, say) are translated too; anything else (a host, a path, a number) is
    not in the catalogue and stays as it is. Without values the template is the message as it is."""
    text = QCoreApplication.translate(ERROR_CONTEXT, template)
    if not values:
        return text
    return text.format(
        **{
            key: QCoreApplication.translate(ERROR_CONTEXT, value) if isinstance(value, str) and value else value
            for key, value in values.items()
        }
    )


def job_error_message(job: JobRecord) -> str | None:
    """A journaled job's error message in the UI language: from its stored template and values when
    it has values, else the stored text (translated by `message_text` where it is a marked text)."""
    if job.error_template and job.error_values is not None:
        try:
            return _error_text(job.error_template, job.error_values)
        except (KeyError, IndexError, ValueError):  # a journal from another version: its English text is kept
            pass
    return job.error_message


def issue_text(issue: ValidationIssue) -> str:
    """A validation issue's message in the UI language."""
    template = QCoreApplication.translate(ISSUE_CONTEXT, issue.template)
    return template.format(**issue.values) if issue.values else template


def issues_text(issues: Iterable[ValidationIssue], separator: str = " ") -> str:
    return separator.join(issue_text(issue) for issue in issues)


def error_message(err: WanError) -> str:
    """The error's message in the UI language (a service's own message stays as the service sent it)."""
    if isinstance(err, ValidationError) and err.issues:
        return issues_text(err.issues)
    return _error_text(err.template, err.values)


def error_details(err: WanError) -> str:
    """`err.details()` in the UI language: message, what to do, code, HTTP status, request id."""
    return err.details(
        lambda text: QCoreApplication.translate(ERROR_CONTEXT, text),
        message=error_message(err),
        hint=hint_text(err.hint),
    )
