"""Observable properties and bindings: the pattern the workspace model and its panels share.

After Krita AI Diffusion's `ai_diffusion/model/properties.py`: a model class declares
`prompt = Property("")` next to `prompt_changed = Signal(object)`; reading `model.prompt` gives the
value, assigning it emits `prompt_changed(value)` when it changed (and `modified(name)` for
persisted properties). PySide6 builds a class's signals when the class is created, so each
property's signal is declared by hand; `ObservableProperties` checks at class creation that it is
there, so a missing one fails at import, not at the first assignment.

`bind(model, "prompt", widget, "prompt")` keeps a widget and a property in step both ways; a value
equal to the current one is never set again, so the two sides cannot ping-pong. QtCore only.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from copy import copy
from typing import Any, Generic, TypeVar, cast, overload

from PySide6.QtCore import QMetaObject, QObject

T = TypeVar("T")


class Property(Generic[T]):
    """A value with a change signal `<name>_changed`; `persist=True` marks it part of a saved state."""

    def __init__(self, default: T, *, persist: bool = False) -> None:
        self.default = default
        self.persist = persist
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type) -> Property[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...
    def __get__(self, instance: object | None, owner: type) -> T | Property[T]:
        if instance is None:
            return self
        values: dict[str, Any] = instance.__dict__.setdefault("_property_values", {})
        if self.name not in values:
            values[self.name] = _fresh(self.default)
        return cast(T, values[self.name])

    def __set__(self, instance: object, value: T) -> None:
        if self.__get__(instance, type(instance)) == value:
            return
        instance.__dict__["_property_values"][self.name] = value
        getattr(instance, f"{self.name}_changed").emit(value)
        if self.persist:
            modified = getattr(instance, "modified", None)
            if modified is not None:
                modified.emit(self.name)


class ObservableProperties:
    """Mix into a QObject subclass that declares `Property` attributes and their signals."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, attr in vars(cls).items():
            if isinstance(attr, Property) and not hasattr(cls, f"{name}_changed"):
                raise TypeError(f"{cls.__name__}.{name} needs a signal {name}_changed = Signal(object)")

    @classmethod
    def properties(cls) -> list[Property[Any]]:
        found: dict[str, Property[Any]] = {}
        for klass in reversed(cls.__mro__):
            for name, attr in vars(klass).items():
                if isinstance(attr, Property):
                    found[name] = attr
        return list(found.values())

    def reset(self) -> None:
        """Every property back to its default (each change signalled)."""
        for prop in self.properties():
            setattr(self, prop.name, _fresh(prop.default))


def _fresh(value: Any) -> Any:
    return copy(value) if isinstance(value, (list, dict, set)) else value


# -- bindings --------------------------------------------------------------------------------------
class Bind(enum.Enum):
    one_way = 1  # model -> widget only
    two_way = 2


class Binding:
    """The connections of one `bind`. A plain class: a NamedTuple is compiled when its module loads
    (~0.3 ms, before the full window)."""

    __slots__ = ("connections",)

    def __init__(self, connections: tuple[QMetaObject.Connection, ...]) -> None:
        self.connections = connections

    def disconnect(self) -> None:
        for connection in self.connections:
            QObject.disconnect(connection)

    @staticmethod
    def disconnect_all(bindings: Sequence[Binding]) -> None:
        for binding in bindings:
            binding.disconnect()


def bind(
    model: QObject,
    model_property: str,
    widget: QObject,
    widget_property: str,
    mode: Bind = Bind.two_way,
    *,
    signal: Any = None,
    to_widget: Callable[[Any], Any] | None = None,
    to_model: Callable[[Any], Any] | None = None,
) -> Binding:
    """Keep `model.<model_property>` and the widget's `<widget_property>` equal.

    The widget side is found by name: a getter `<prop>()` (or an attribute), a setter
    `set<Prop>` / `set_<prop>`, and a change signal `<prop>Changed` / `<prop>_changed` (or pass
    `signal`, any signal whose arguments are ignored: the getter is read). `to_widget` / `to_model`
    convert between the two representations (an enum and a combo's item data, say).
    """
    get_widget = _getter(widget, widget_property)
    set_widget = _setter(widget, widget_property)
    to_widget = to_widget or (lambda value: value)
    to_model = to_model or (lambda value: value)

    def model_to_widget(value: Any) -> None:
        shown = to_widget(value)
        if get_widget() != shown:
            set_widget(shown)

    model_to_widget(getattr(model, model_property))
    connections = [_signal(model, model_property).connect(model_to_widget)]
    if mode is Bind.two_way:

        def widget_to_model(*_args: Any) -> None:
            setattr(model, model_property, to_model(get_widget()))

        connections.append((signal or _signal(widget, widget_property)).connect(widget_to_model))
    return Binding(tuple(connections))


def bind_toggle(model: QObject, model_property: str, button: QObject, mode: Bind = Bind.two_way) -> Binding:
    """A checkable button (QCheckBox, QAction...) and a bool property."""
    return bind(model, model_property, button, "checked", mode, signal=button.toggled)  # type: ignore[attr-defined]


def bind_combo(
    model: QObject,
    model_property: str,
    combo: QObject,
    mode: Bind = Bind.two_way,
    *,
    to_model: Callable[[Any], Any] | None = None,
) -> Binding:
    """A QComboBox whose item data are the property's values (or `to_model(data)` is)."""
    box: Any = combo
    convert = to_model or (lambda data: data)

    def current() -> Any:
        return convert(box.currentData()) if box.currentIndex() >= 0 else None

    def show(value: Any) -> None:
        for index in range(box.count()):
            if convert(box.itemData(index)) == value:
                if box.currentIndex() != index:
                    box.setCurrentIndex(index)
                return

    show(getattr(model, model_property))
    connections = [_signal(model, model_property).connect(show)]
    if mode is Bind.two_way:

        def to_model_side(_index: int) -> None:
            value = current()
            if value is not None:
                setattr(model, model_property, value)

        connections.append(box.currentIndexChanged.connect(to_model_side))
    return Binding(tuple(connections))


def _signal(obj: Any, prop: str) -> Any:
    for name in (f"{prop}_changed", f"{prop}Changed"):
        if hasattr(obj, name):
            return getattr(obj, name)
    raise AttributeError(f"{type(obj).__name__} has no change signal for {prop!r}")


def _getter(obj: Any, prop: str) -> Callable[[], Any]:
    for name in (prop, f"is{prop[:1].upper()}{prop[1:]}"):
        attr = getattr(obj, name, None)
        if callable(attr):
            return cast(Callable[[], Any], attr)
    return lambda: getattr(obj, prop)


def _setter(obj: Any, prop: str) -> Callable[[Any], Any]:
    for name in (f"set{prop[:1].upper()}{prop[1:]}", f"set_{prop}"):
        attr = getattr(obj, name, None)
        if callable(attr):
            return cast(Callable[[Any], Any], attr)
    return lambda value: setattr(obj, prop, value)
