"""`Value`: immutable value classes that cost nothing to define.

The request, parameters and gallery query a window works with are defined before its first full
paint. A frozen dataclass compiles six methods when its module loads (~1-1.5 ms each), a NamedTuple
its constructor and a ForwardRef for each annotated field (~0.2-0.6 ms); a plain class is compiled
with its module, ahead of time. `Value` gives a plain class what those would: equality and a hash
over its fields, a repr, and `replace(**changes)` for a changed copy. Its fields are its own class
annotations, declared `Final` so mypy refuses any assignment after `__init__` (and at run time a
field, once set, cannot be set again or deleted):

    class Box(Value):
        x1: Final[int]
        y1: Final[int]

        def __init__(self, x1: int, y1: int) -> None:
            self.x1 = x1
            self.y1 = y1

The `__init__` parameters carry the fields' names (`replace` passes them by keyword). Qt-free and
below every layer, so the API values can use it.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

V = TypeVar("V", bound="Value")


class Value:
    _fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = tuple(name for name in cls.__dict__.get("__annotations__", {}) if name != "_fields")
        cls._fields = (*cls._fields, *own)  # a subclass keeps its base's fields, then adds its own

    def __setattr__(self, name: str, value: Any) -> None:
        # Each field is set once, by __init__; after that a Value is as frozen as a frozen dataclass.
        if name in self.__dict__:
            raise AttributeError(f"{type(self).__name__}.{name} cannot be changed; use replace()")
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__}.{name} cannot be deleted")

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__name__}({fields})"

    def replace(self: V, **changes: Any) -> V:
        """A copy with `changes` (field name -> new value); an unknown name is a TypeError."""
        unknown = changes.keys() - set(self._fields)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        return type(self)(**{**self.as_dict(), **changes})

    def as_dict(self) -> dict[str, Any]:
        """Field name -> value, in declaration order."""
        return {name: getattr(self, name) for name in self._fields}
