"""Observable properties and bindings: a change signals once, an equal value not at all, and a
binding keeps both sides equal without echoing a value back."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal

from wan27_desktop.workspace.properties import Bind, ObservableProperties, Property, bind


class Thing(QObject, ObservableProperties):
    name = Property("", persist=True)
    count = Property(0)
    items = Property[list[int]]([])

    name_changed = Signal(object)
    count_changed = Signal(object)
    items_changed = Signal(object)
    modified = Signal(str)


class Field(QObject):
    """A widget-like object: getter, setter and a change signal, counting its sets."""

    textChanged = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        self.sets = 0

    def text(self) -> str:
        return self._text

    def setText(self, value: str) -> None:  # noqa: N802 - Qt's naming, which bind() looks for
        self.sets += 1
        self._text = value
        self.textChanged.emit(value)


def test_a_change_emits_its_signal_once_and_an_equal_value_nothing(qapp: Any) -> None:
    thing = Thing()
    seen: list[object] = []
    thing.count_changed.connect(seen.append)
    thing.count = 3
    thing.count = 3
    thing.count = 4
    assert seen == [3, 4]
    assert thing.count == 4


def test_persisted_properties_report_modified_and_others_do_not(qapp: Any) -> None:
    thing = Thing()
    modified: list[str] = []
    thing.modified.connect(modified.append)
    thing.count = 1
    thing.name = "x"
    assert modified == ["name"]


def test_mutable_defaults_are_not_shared_between_instances(qapp: Any) -> None:
    first, second = Thing(), Thing()
    first.items.append(1)
    assert second.items == []


def test_a_property_without_its_signal_fails_when_the_class_is_made(qapp: Any) -> None:
    with pytest.raises(TypeError, match="missing_changed"):

        class Broken(QObject, ObservableProperties):
            missing = Property(0)


def test_reset_puts_every_property_back_and_signals_the_changes(qapp: Any) -> None:
    thing = Thing()
    thing.name, thing.count = "a", 2
    seen: list[object] = []
    thing.name_changed.connect(seen.append)
    thing.reset()
    assert (thing.name, thing.count) == ("", 0)
    assert seen == [""]


def test_two_way_binding_follows_both_sides_without_echo(qapp: Any) -> None:
    thing, field = Thing(), Field()
    thing.name = "start"
    bind(thing, "name", field, "text")
    assert field.text() == "start" and field.sets == 1  # the widget shows the model at once
    field.setText("typed")
    assert thing.name == "typed"
    assert field.sets == 2  # the model's change did not set the same text back
    thing.name = "from the model"
    assert field.text() == "from the model"


def test_one_way_binding_ignores_the_widget(qapp: Any) -> None:
    thing, field = Thing(), Field()
    binding = bind(thing, "name", field, "text", Bind.one_way)
    field.setText("typed")
    assert thing.name == ""
    thing.name = "shown"
    assert field.text() == "shown"
    binding.disconnect()
    thing.name = "after"
    assert field.text() == "shown"


def test_conversions_apply_in_both_directions(qapp: Any) -> None:
    thing, field = Thing(), Field()
    bind(thing, "count", field, "text", to_widget=str, to_model=lambda text: int(text or 0))
    thing.count = 7
    assert field.text() == "7"
    field.setText("12")
    assert thing.count == 12
