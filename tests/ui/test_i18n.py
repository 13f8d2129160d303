# ruff: noqa: F811  (pytest fixtures are imported from tests/ui/main_window_support.py)
"""Translations (issue 9): everything the user sees is translatable and translated into zh_CN.

- the main window, its dialogs and the viewer built under the zh_CN translator show no English
  (apart from a short allow-list: product and model names, units, keys, formats);
- every message of resources/i18n/*.ts is translated, plural forms included, with the same
  placeholders as its source;
- pyside6-lupdate finds no message in the sources that the committed .ts lacks (a new string
  without a translation fails here), and the committed .qm files are what lrelease makes of the .ts;
- the language follows the system, the setting overrides it, Qt's own buttons are translated too,
  and the API layer's hints and validation messages are translated where the UI shows them.

With WAN27_WRITE_SCREENSHOTS=1 the zh_CN window is saved as resources/screenshots/main_zh_CN.png.
"""

from __future__ import annotations

import html
import importlib
import importlib.util
import pkgutil
import re
import string
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QAction, QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QTextEdit,
    QWidget,
)

from tests.ui.main_window_support import (  # noqa: F401 - fixtures
    env_key,
    fake,
    make_window,
    notifier,
    screenshot_dir,
    wait_for_job,
    wait_state,
)
from wan27_desktop import i18n
from wan27_desktop.api import errors, rules, validation
from wan27_desktop.api.models import GenerationRequest, ImageInput, Mode, Model, PaletteColor, Region, RequestMode
from wan27_desktop.library import JobState
from wan27_desktop.settings import Language

REPO = Path(__file__).resolve().parents[2]


def _load_update_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_translations", REPO / "packaging" / "update_translations.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


update = _load_update_script()


@pytest.fixture
def zh_cn(qapp: QApplication) -> Iterator[str]:
    """The app's and Qt's zh_CN translators installed (as the app does at start), removed afterwards."""
    assert i18n.install_translators(qapp, Language.CHINESE_SIMPLIFIED) == "zh_CN"
    yield "zh_CN"
    i18n.uninstall_translators(qapp)


# -- the .ts files ---------------------------------------------------------------------------------
class Message:
    def __init__(self, context: str, element: ET.Element) -> None:
        self.context = context
        self.source = element.findtext("source") or ""
        self.comment = element.findtext("comment") or ""
        self.numerus = element.get("numerus") == "yes"
        translation = element.find("translation")
        assert translation is not None
        self.kind = translation.get("type") or ""  # unfinished / vanished / obsolete
        forms = translation.findall("numerusform")
        self.forms = [f.text or "" for f in forms] if self.numerus else [translation.text or ""]

    @property
    def key(self) -> tuple[str, str, str, bool]:
        return self.context, self.source, self.comment, self.numerus

    def __repr__(self) -> str:
        return f"[{self.context}] {self.source!r}" + (f" ({self.comment})" if self.comment else "")


def read_ts(path: Path) -> list[Message]:
    root = ET.parse(path).getroot()
    return [
        Message(context.findtext("name") or "", message)
        for context in root.iter("context")
        for message in context.iter("message")
    ]


_FIELD = string.Formatter()


def placeholders(text: str) -> list[str]:
    """{name[!conv][:spec]} fields, %n and %1..%99, sorted: what a translation must keep."""
    found = re.findall(r"%L?(?:n|\d{1,2})", text)
    try:
        found += [
            f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
            for _lit, name, spec, conv in _FIELD.parse(text)
            if name is not None
        ]
    except ValueError as err:  # unbalanced braces: str.format would fail on it at run time
        found.append(f"<invalid format: {err}>")
    return sorted(found)


def has_mnemonic(text: str) -> bool:
    return re.search(r"&[^&\s]", text.replace("&&", "")) is not None


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    messages = read_ts(update.ts_path(language))
    assert messages, f"{update.ts_path(language)} has no messages"
    problems = []
    for message in messages:
        if message.context == "":
            problems.append(
                f"{message}: no context. Call self.tr(...) / QCoreApplication.translate(...) "
                "directly: lupdate cannot follow an alias such as `tr = self.tr`"
            )
            continue
        if message.kind:
            problems.append(f"{message}: {message.kind}")
        if language == "en" and not message.numerus:
            problems.append(f"{message}: the English catalogue holds only plural (%n) messages")
        expected_forms = 2 if language == "en" else 1
        if message.numerus and len(message.forms) != expected_forms:
            problems.append(f"{message}: {len(message.forms)} plural forms, {language} has {expected_forms}")
        for form in message.forms:
            if not form.strip():
                problems.append(f"{message}: empty translation")
            elif placeholders(form) != placeholders(message.source):
                problems.append(
                    f"{message}: placeholders {placeholders(form)} in {form!r}, "
                    f"source has {placeholders(message.source)}"
                )
            elif has_mnemonic(message.source) and not has_mnemonic(form):
                problems.append(f"{message}: {form!r} lost the keyboard mnemonic; write it as in 文件(&F)")
    assert not problems, "Fix resources/i18n (packaging/update_translations.py):\n" + "\n".join(problems)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_committed_ts_has_every_message_of_the_sources(language: str, tmp_path: Path) -> None:
    fresh = tmp_path / f"fresh_{language}.ts"
    update.lupdate(fresh, language, plural_only=update.LANGUAGES[language])
    in_sources = {m.key: m for m in read_ts(fresh)}
    committed = {m.key for m in read_ts(update.ts_path(language))}
    missing = [repr(in_sources[key]) for key in in_sources if key not in committed]
    stale = [key for key in committed if key not in in_sources]
    assert not missing, (
        "Messages in the code but not in resources/i18n: run packaging/update_translations.py "
        "and translate them:\n" + "\n".join(sorted(missing))
    )
    assert not stale, (
        "Messages in resources/i18n no longer in the code: run packaging/update_translations.py:\n"
        + "\n".join(map(str, sorted(stale)))
    )


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_committed_qm_is_compiled_from_the_committed_ts(language: str, tmp_path: Path) -> None:
    compiled = tmp_path / f"{language}.qm"
    update.lrelease(update.ts_path(language), compiled)
    committed = update.qm_path(language)
    assert committed.is_file() and committed.read_bytes() == compiled.read_bytes(), (
        f"{committed.name} is older than its .ts: run packaging/update_translations.py --release"
    )


# -- choosing and installing the language ----------------------------------------------------------
@pytest.mark.parametrize(
    ("preferred", "expected"),
    [
        (["zh-Hans-CN", "en-US"], "zh_CN"),
        (["zh-CN"], "zh_CN"),
        (["zh-TW", "en"], "zh_CN"),  # Traditional Chinese readers get Simplified rather than English
        (["de-DE", "en-GB", "zh-CN"], "en"),  # the first language we have wins
        (["en-US"], "en"),
        (["fr-FR", "ja-JP"], "en"),
        ([], "en"),
    ],
)
def test_system_language_picks_chinese_or_english(preferred: list[str], expected: str) -> None:
    assert i18n.resolve_language(Language.SYSTEM, preferred) == expected


def test_the_setting_overrides_the_system() -> None:
    assert i18n.resolve_language(Language.ENGLISH, ["zh-CN"]) == "en"
    assert i18n.resolve_language(Language.CHINESE_SIMPLIFIED, ["en-US"]) == "zh_CN"


def test_zh_cn_translates_the_app_qt_dialog_buttons_and_the_locale(zh_cn: str, qtbot: Any) -> None:
    assert QCoreApplication.translate("JobState", "Generating") == "生成中"
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "取消"  # Qt's own qtbase_zh_CN
    assert QLocale().language() == QLocale.Language.Chinese


def test_language_picker_offers_every_setting_with_a_restart_note(zh_cn: str) -> None:
    choices = dict(i18n.language_choices())
    assert list(choices) == list(Language)
    assert choices[Language.CHINESE_SIMPLIFIED] == "简体中文" and choices[Language.ENGLISH] == "English"
    assert _has_chinese(choices[Language.SYSTEM]) and _has_chinese(i18n.restart_note())


def test_english_catalogue_gives_singular_and_plural(qapp: QApplication) -> None:
    try:
        assert i18n.install_translators(qapp, "en") == "en"
        assert QCoreApplication.translate("ReferenceTiles", "%n region boxes", "", 1) == "1 region box"
        assert QCoreApplication.translate("ReferenceTiles", "%n region boxes", "", 2) == "2 region boxes"
    finally:
        i18n.uninstall_translators(qapp)


def test_a_missing_catalogue_leaves_the_app_in_english(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    try:
        assert i18n.install_translators(qapp, Language.CHINESE_SIMPLIFIED) == "zh_CN"
        assert QCoreApplication.translate("JobState", "Generating") == "Generating"
    finally:
        i18n.uninstall_translators(qapp)


# -- API texts -------------------------------------------------------------------------------------
def _has_chinese(text: str) -> bool:
    return re.search(r"[\u3400-\u9fff]", text) is not None


def _error_classes(base: type[errors.WanError] = errors.WanError) -> Iterator[type[errors.WanError]]:
    yield base
    for sub in base.__subclasses__():
        yield from _error_classes(sub)


def test_api_hints_labels_and_rule_texts_are_translated(zh_cn: str) -> None:
    import wan27_desktop

    for module in pkgutil.walk_packages(wan27_desktop.__path__, "wan27_desktop."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)  # every WanError subclass, wherever it is defined
    untranslated = [cls.__name__ for cls in _error_classes() if not _has_chinese(i18n.hint_text(cls.default_hint))]
    assert not untranslated, f"default hints without a zh_CN translation: {untranslated}"
    labels = (
        [r.label for r in Region]
        + [m.label for m in Mode]
        + [rules.thinking_disabled_reason(m) for m in Mode if not rules.thinking_applies(m)]
    )
    assert not [text for text in labels if not _has_chinese(i18n.api_text(text))], "add them to i18n._API_TEXTS"
    assert i18n.region_name(Region.SINGAPORE) == "新加坡（国际站）"
    assert i18n.region_name(Region.BEIJING) == "北京（中国内地）"


def test_validation_messages_are_translated_with_their_values(zh_cn: str) -> None:
    bad = GenerationRequest(
        prompt="x" * (rules.MAX_PROMPT_CHARS + 1),
        model=Model.STANDARD,
        n=9,
        size="4K",
        seed=-5,
        images=(ImageInput(""),),
        color_palette=(PaletteColor("#12345", 50.0), PaletteColor("#000000", 30.0)),
    )
    issues = validation.check(bad)
    assert len(issues) >= 6
    for issue in issues:
        text = i18n.issue_text(issue)
        assert _has_chinese(text) and "{" not in text, (issue.message, text)
    over = next(i for i in issues if i.field == "prompt")
    assert f"{rules.MAX_PROMPT_CHARS + 1:,}" in i18n.issue_text(over)  # the value, formatted as in English
    err = errors.ValidationError(issues)
    assert _has_chinese(i18n.error_message(err)) and _has_chinese(i18n.error_details(err))
    assert err.message.startswith("prompt: The prompt has")  # the English message itself is unchanged


def _errors_from_real_paths(tmp_path: Path) -> list[errors.WanError]:
    """Errors whose messages carry values, each made by the code that raises it in use."""
    import errno as errno_module

    from wan27_desktop.api import download, responses
    from wan27_desktop.api.client import DashScopeClient
    from wan27_desktop.api.results import TaskSnapshot, TaskStatus
    from wan27_desktop.api.retry import RetryPolicy, raise_if_cancelled
    from wan27_desktop.imaging import prepare

    made: list[errors.WanError] = []
    with DashScopeClient(
        "sk-i18n-test", "http://127.0.0.1:9/api/v1", retry_policy=RetryPolicy(max_attempts=1)
    ) as client:
        for call in (lambda: client.query_task("t-1"), lambda: client.submit_task({"model": "wan2.7-image"})):
            with pytest.raises(errors.WanError) as raised:
                call()
            made.append(raised.value)  # the request failed / could not connect to 127.0.0.1
    made.append(download.save_error(OSError(errno_module.ENOSPC, "No space left on device"), tmp_path))
    made.append(download.save_error(OSError(errno_module.EACCES, "Permission denied"), tmp_path))
    for status, body in ((502, b"<html><body>Bad Gateway</body></html>"), (500, b""), (401, b"{}")):
        made.append(responses.error_from_response(status, body))
    for status in (TaskStatus.CANCELED, TaskStatus.UNKNOWN, TaskStatus.FAILED):
        error = responses.task_error(TaskSnapshot(task_id="t-42", status=status))
        assert error is not None
        made.append(error)
    with pytest.raises(errors.Canceled) as canceled:
        raise_if_cancelled(lambda: True)
    made.append(canceled.value)
    with pytest.raises(errors.ReferenceImageError) as missing:
        prepare.prepare_reference(tmp_path / "gone.png")
    made.append(missing.value)
    return made


def test_errors_with_values_are_translated_around_their_values(zh_cn: str, tmp_path: Path) -> None:
    made = _errors_from_real_paths(tmp_path)
    assert len(made) >= 12
    for err in made:
        text = i18n.error_message(err)
        assert _has_chinese(text) and "{" not in text, (err.message, text)
        for value in err.values.values():
            shown = QCoreApplication.translate("WanError", value) if isinstance(value, str) else str(value)
            assert shown in text, (err.message, text)  # the value as in English, or its marked phrase translated
    assert "t-42" in i18n.error_message(made[7])
    refused = i18n.error_message(made[0])  # nothing listens on 127.0.0.1:9
    assert "127.0.0.1" in refused and "连接被拒绝" in refused and "refused" not in refused


def test_a_journaled_error_with_values_is_translated_after_a_restart(zh_cn: str, tmp_path: Path) -> None:
    # A real failed job (nothing listens on port 9), read back from the journal by a new queue row,
    # as the queue does at the next start: the message comes from its stored template and values.
    from tests.reliability.support import SleepLog, fast_client_factory
    from wan27_desktop.jobs.runner import Connection, JobRunner
    from wan27_desktop.library import Library
    from wan27_desktop.ui.jobs.queue_model import JobRow

    with Library.open(tmp_path / "data") as library:
        connection = Connection(Region.SINGAPORE, "http://127.0.0.1:9/api/v1", "sk-i18n-journal")
        runner = JobRunner(library, connection, client_factory=fast_client_factory(SleepLog(), max_attempts=1))
        try:
            job = runner.run(runner.create(GenerationRequest("a fox"), RequestMode.SYNC))
        finally:
            runner.close()
        assert job.state is JobState.FAILED and job.error_template and job.error_values
        row = JobRow(job.id)
        row.apply_record(library.jobs.get(job.id))
    assert job.error_message.startswith("Could not connect to 127.0.0.1: the connection was refused")  # English
    shown = i18n.message_text(row.error_message)
    assert _has_chinese(shown) and "127.0.0.1" in shown and "连接被拒绝" in shown, shown
    assert _has_chinese(row.details())


# -- no English left on screen ---------------------------------------------------------------------
# Words that stay as they are in a Chinese UI: product, model and company names, formats, units,
# protocols, keyboard keys and the language's own name in the language picker.
ALLOWED_PHRASES = ("Wan 2.7 Desktop", "Wan 2.7 Pro", "Wan 2.7")
ALLOWED_WORDS = {
    "Wan",
    "Pro",
    "DashScope",
    "API",
    "URL",
    "URLs",
    "HTTP",
    "HTTPS",
    "http",
    "https",
    "ID",
    "id",
    "JSON",
    "PNG",
    "JPEG",
    "JPG",
    "BMP",
    "WebP",
    "GIF",
    "SVG",
    "RRGGBB",
    "SHA",
    "px",
    "MP",
    "MB",
    "KB",
    "KiB",
    "AI",
    "LGPL",
    "GPL",
    "MIT",
    "Qt",
    "PySide",
    "Python",
    "English",
    "Ctrl",
    "Shift",
    "Alt",
    "Meta",
    "Cmd",
    "Del",
    "Esc",
    "Enter",
    "Return",
    "Tab",
    "Space",
    "PgUp",
    "PgDown",
    "Home",
    "End",
    "Backspace",
    "Up",
    "Down",
    "Left",
    "Right",
    "Ins",
    "Delete",
    "F11",
    "GNU",
    "LGPLv3",
    "PySide6",
    "localhost",
}
# Data in a text, not words: paths and URLs, file names, environment variables, model ids, a masked key.
# Data in a text, not words: paths and URLs, file names, environment variables, model ids, a masked
# key, host names, hexadecimal ids and hashes (request ids, SHA-256).
_DATA_TOKEN = re.compile(
    r"(^|\s)(\S*[/\\]\S*|\S+\.(png|jpe?g|webp|bmp|json|md|txt|ini|sqlite3|svg)|\S+@\S+)(?=\s|$)"
    r"|(?<![A-Za-z0-9_])([A-Z][A-Z0-9]*_[A-Z0-9_]+|wan2\.7-image(-pro)?|sk-…\w*|[\w-]+(\.[\w-]+)*\.(com|cn)"
    r"|(?=[0-9a-f…-]*\d)[0-9a-f]{3,}(?:[-…]+[0-9a-f]+)*)(?![A-Za-z0-9_])"
)


def english_words(text: str, data: tuple[str, ...] = ()) -> list[str]:
    if text.startswith(("{", "[")):
        return []  # JSON as the service sent it (usage, parameters)
    for value in data:
        text = text.replace(value, " ")
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("&&", "&")
    text = re.sub(r"&(?=\w)", "", text)  # mnemonics
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    text = _DATA_TOKEN.sub(" ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", text) if w not in ALLOWED_WORDS and not w[1:].isdigit()]


def _owner(widget: QWidget | None) -> str:
    while widget is not None:
        module = type(widget).__module__
        if module.startswith("wan27_desktop"):
            return f"{module}.{type(widget).__name__}"
        widget = widget.parentWidget()
    return "Qt"


def visible_texts(root: QWidget) -> Iterator[tuple[str, str, str]]:
    """(owner, where, text) for every user-facing text of `root` and its children."""
    widgets = [root, *root.findChildren(QWidget)]
    seen_actions: set[int] = set()
    for widget in widgets:
        name = widget.objectName()
        if name.startswith("qt_") and not isinstance(widget, QAbstractButton):
            continue  # Qt's internals (spin box line edits, scroll areas ...)
        owner = _owner(widget)
        where = f"{type(widget).__name__}#{name}" if name else type(widget).__name__

        def text(kind: str, value: object, owner: str = owner, where: str = where) -> Iterator[tuple[str, str, str]]:
            if isinstance(value, str) and value.strip():
                yield owner, f"{where}.{kind}", value

        if widget.isWindow():
            yield from text("windowTitle", widget.windowTitle())
        for kind in ("toolTip", "statusTip", "whatsThis", "accessibleName", "accessibleDescription"):
            yield from text(kind, getattr(widget, kind)())
        if isinstance(widget, QLabel):
            yield from text("text", widget.text())
        if isinstance(widget, QAbstractButton):
            yield from text("text", widget.text())
        if isinstance(widget, QGroupBox):
            yield from text("title", widget.title())
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit)):
            yield from text("placeholderText", widget.placeholderText())
        if isinstance(widget, QComboBox) and widget.isEditable() is False:
            for i in range(widget.count()):
                yield from text(f"item[{i}]", widget.itemText(i))
                yield from text(f"item[{i}].toolTip", widget.itemData(i, Qt.ItemDataRole.ToolTipRole))
        if isinstance(widget, QAbstractSpinBox):
            yield from text("specialValueText", widget.specialValueText())
            if isinstance(widget, (QSpinBox, QDoubleSpinBox)):
                yield from text("prefix", widget.prefix())
                yield from text("suffix", widget.suffix())
        if isinstance(widget, QTabBar):
            for i in range(widget.count()):
                yield from text(f"tab[{i}]", widget.tabText(i))
                yield from text(f"tab[{i}].toolTip", widget.tabToolTip(i))
        if isinstance(widget, QMenu):
            yield from text("title", widget.title())
        if isinstance(widget, QHeaderView) and widget.model() is not None and widget.isVisibleTo(widget.window()):
            for section in range(widget.count()):
                yield from text(f"section[{section}]", widget.model().headerData(section, widget.orientation()))
        for action in widget.actions():
            if id(action) in seen_actions or action.isSeparator():
                continue
            seen_actions.add(id(action))
            label = f"QAction#{action.objectName() or action.text()}"
            for kind in ("text", "toolTip", "statusTip", "whatsThis", "iconText"):
                yield from text(kind, getattr(action, kind)(), owner, label)


def untranslated(roots: list[QWidget], data: tuple[str, ...] = ()) -> list[str]:
    """One line per object and English text (an action's text is also its tooltip: said once).
    `data`: texts that are not the app's (a service's error message, an exception) and stay as they are."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for root in roots:
        for owner, where, value in visible_texts(root):
            if english_words(value, data):
                obj, _, kind = where.rpartition(".")
                found.setdefault((owner, obj, value), []).append(kind)
    return sorted(
        f"{owner}: {obj}.{'/'.join(kinds)} = {value!r} -> {sorted(set(english_words(value, data)))}"
        for (owner, obj, value), kinds in found.items()
    )


def _run_jobs(qtbot: Any, window: Any, env_key: Any) -> tuple[str, ...]:
    """One finished job with two images and one refused by moderation (its hint comes from the API layer).
    Returns the service's own texts (error code and message), which are shown as sent."""
    from tests.fake_dashscope import Fault

    window.workspace.submit(GenerationRequest(prompt="一只红色的风筝飞过灰色的海滩", n=2, size="1K"), RequestMode.SYNC)
    done = wait_for_job(qtbot, window)[0]
    wait_state(qtbot, window, done.job_id, JobState.DONE, timeout=60_000)
    env_key.add_fault(Fault("sync", "moderation"))
    window.workspace.submit(GenerationRequest(prompt="被内容审核拒绝的提示词", size="1K"), RequestMode.SYNC)
    failed = next(j for j in wait_for_job(qtbot, window, count=2) if j.job_id != done.job_id)
    wait_state(qtbot, window, failed.job_id, JobState.FAILED)
    qtbot.waitUntil(lambda: window.queue.model.job(failed.job_id).request_id is not None)
    window.queue.select_job(failed.job_id)
    if window.gallery is not None:
        qtbot.waitUntil(lambda: window.gallery.model.rowCount() == 2, timeout=20_000)
    row = window.queue.model.job(failed.job_id)
    return tuple(text for text in (row.error_code, row.error_message) if text)


CRASH = ("ValueError: boom", "Traceback (most recent call last):\nValueError: boom")


def _dialogs(qtbot: Any, window: Any, tmp_path: Path) -> list[QWidget]:
    from wan27_desktop.ui.dialogs.about import AboutDialog
    from wan27_desktop.ui.dialogs.crash import CrashDialog
    from wan27_desktop.ui.dialogs.key import KeyDialog
    from wan27_desktop.ui.dialogs.onboarding import WelcomeDialog
    from wan27_desktop.ui.dialogs.settings import SettingsDialog
    from wan27_desktop.ui.dialogs.shortcuts import ShortcutsDialog
    from wan27_desktop.ui.generate.box_editor import BoxEditor
    from wan27_desktop.ui.generate.history_popup import PromptHistoryPopup
    from wan27_desktop.ui.generate.reference_viewer import ReferenceViewer
    from wan27_desktop.ui.viewer.compare import CompareWindow
    from wan27_desktop.ui.viewer.window import ImageViewer

    dialogs: list[QWidget] = [
        SettingsDialog(window.settings, window),
        KeyDialog(window),
        AboutDialog(window),
        CrashDialog(*CRASH, window),
        ShortcutsDialog(window),
        WelcomeDialog(window),
        BoxEditor(800, 600, (), "a.png", window),
        ReferenceViewer("a.png", "", window),
        PromptHistoryPopup(window.generation.editor.history, "", window),
    ]
    gallery = window.gallery
    if gallery is not None:
        viewer = ImageViewer(gallery.model, gallery.worker, gallery.loader, window)
        dialogs.append(viewer)
        viewer.show_row(0)
        qtbot.waitUntil(lambda: viewer.metadata.job is not None, timeout=10_000)
        records = [gallery.model.record(0), gallery.model.record(1)]
        dialogs.append(CompareWindow(records[0], records[1], parent=window))
    for dialog in dialogs:
        qtbot.addWidget(dialog)
    return dialogs


def test_zh_cn_shows_no_english(qtbot: Any, zh_cn: str, make_window: Any, env_key: Any, tmp_path: Path) -> None:
    env_key.result_image_mode = "real"
    window = make_window()
    window.resize(1280, 800)
    service_texts = _run_jobs(qtbot, window, env_key)
    reference = QImage(320, 240, QImage.Format.Format_RGB32)
    reference.fill(QColor("teal"))
    assert reference.save(str(tmp_path / "reference.png"))
    window.generation.strip.add_reference(str(tmp_path / "reference.png"))  # tiles, counts, box tooltips
    window.generation.open_palette()  # the palette section starts closed; its texts count too
    found = untranslated([window, *_dialogs(qtbot, window, tmp_path)], data=(*service_texts, *CRASH))
    assert not found, f"{len(found)} visible texts still in English:\n" + "\n".join(found)


def test_zh_cn_main_window_with_results_and_an_api_error(
    qtbot: Any, zh_cn: str, make_window: Any, env_key: Any, tmp_path: Path
) -> None:
    env_key.result_image_mode = "real"
    window = make_window()
    window.resize(1280, 800)
    _run_jobs(qtbot, window, env_key)
    # As an input method does (QTest cannot type characters that are not on the keyboard).
    window.generation.editor.insertPlainText("一只戴着红围巾的柴犬坐在雪地里，暖色夕阳，浅景深")
    assert window.generation.generate_button.isEnabled()
    assert window.generation.generate_button.text() == "生成 1 张 · ≈ ¥0.56"
    details = window.queue.error_details.text()
    assert i18n.hint_text(errors.ModerationError.default_hint) in details and _has_chinese(details)
    if window.gallery is not None:
        gallery = window.gallery
        qtbot.waitUntil(lambda: gallery.wait_idle(50) and gallery.loader.pending_count() == 0, timeout=20_000)
    shots = screenshot_dir(tmp_path)
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    assert window.grab().save(str(shots / "main_zh_CN.png"), "PNG")
    status = window.status
    for label in (status.region_label, status.key_label, status.spend_label, status.connectivity_label):
        assert label.width() >= label.sizeHint().width(), f"{label.objectName()} is cut off: {label.text()!r}"
    button = window.generation.generate_button
    assert button.width() >= button.sizeHint().width(), f"the Generate button is cut off: {button.text()!r}"


def test_actions_are_walked(qtbot: Any) -> None:
    """The walker itself: it reports an untranslated action, tooltip and combo item."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.addAction(QAction("Open folder", widget))
    combo = QComboBox(widget)
    combo.addItem("打开")
    combo.addItem("Close")
    combo.setToolTip("Ctrl+W · 1024 px · wan2.7-image-pro · /tmp/a.png")
    found = untranslated([widget])
    assert len(found) == 2 and any("Open folder" in f for f in found) and any("Close" in f for f in found)


def test_no_user_visible_string_cites_a_reference_section() -> None:
    """Section numbers of the API reference ("§3.2") mean nothing to a user: they stay in comments."""
    for ts in sorted((REPO / "resources" / "i18n").glob("*.ts")):
        text = ts.read_text(encoding="utf-8")
        found = [line.strip() for line in text.splitlines() if "§" in line]
        assert found == [], f"{ts.name}: {found[:5]}"
