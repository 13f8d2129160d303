"""`Value` (values.py): the plain value classes the window defines before its first paint compare,
hash, print and change like the frozen dataclasses they replace."""

from __future__ import annotations

from typing import Final

import pytest

from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Model
from wan27_desktop.values import Value


class Pair(Value):
    left: Final[int]
    right: Final[str]

    def __init__(self, left: int, right: str = "") -> None:
        self.left = left
        self.right = right


def test_fields_are_the_class_annotations_in_order() -> None:
    assert Pair._fields == ("left", "right")
    assert GenerationRequest._fields[:3] == ("prompt", "model", "images")


def test_equal_values_are_equal_and_hash_alike() -> None:
    assert Pair(1, "a") == Pair(1, "a") and hash(Pair(1, "a")) == hash(Pair(1, "a"))
    assert Pair(1, "a") != Pair(1, "b")
    assert len({Pair(1, "a"), Pair(1, "a"), Pair(2)}) == 2
    request = GenerationRequest("x", images=(ImageInput("a.png", (Box(1, 2, 3, 4),)),))
    assert request == GenerationRequest("x", images=(ImageInput("a.png", (Box(1, 2, 3, 4),)),))


def test_a_value_never_equals_another_type_or_a_tuple() -> None:
    class Other(Pair):
        pass

    assert Other._fields == Pair._fields and repr(Other(1, "a")) == "Other(left=1, right='a')"
    assert Pair(1, "a") != Other(1, "a")
    assert Box(1, 2, 3, 4) != (1, 2, 3, 4)


def test_replace_changes_a_copy_and_refuses_unknown_fields() -> None:
    request = GenerationRequest("a lighthouse", n=2)
    changed = request.replace(model=Model.STANDARD, n=4)
    assert (changed.model, changed.n, changed.prompt) == (Model.STANDARD, 4, "a lighthouse")
    assert (request.model, request.n) == (Model.PRO, 2)
    assert request.replace() == request
    with pytest.raises(TypeError, match="no field colour"):
        request.replace(colour="red")


def test_repr_names_each_field() -> None:
    assert repr(Pair(1, "a")) == "Pair(left=1, right='a')"
    assert repr(Box(0, 0, 5, 5)) == "Box(x1=0, y1=0, x2=5, y2=5)"


def test_a_value_cannot_be_changed_in_place() -> None:
    request = GenerationRequest("a lighthouse", n=2)
    with pytest.raises(AttributeError, match="use replace"):
        request.n = 4  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del request.prompt  # type: ignore[misc]
    assert request.n == 2 and request.prompt == "a lighthouse"


def test_as_dict_names_every_field_in_order() -> None:
    from wan27_desktop.api.constants import Timeouts

    assert Pair(1, "a").as_dict() == {"left": 1, "right": "a"}
    assert list(Timeouts(1.0, 2.0, 3.0, 4.0).as_dict().items()) == [
        ("connect", 1.0),
        ("read", 2.0),
        ("write", 3.0),
        ("pool", 4.0),
    ]
