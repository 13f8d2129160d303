"""renumber_references and friends: "image N" / "图N" follow reordered and removed references (§2.2)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wan27_desktop.ui.generate.prompt_refs import (
    reference_token,
    referenced_numbers,
    removed_markers,
    renumber_references,
)


def test_swap_renumbers_both_at_once() -> None:
    text = "Put the logo from image 2 on the mug in image 1"
    assert renumber_references(text, {1: 2, 2: 1}) == "Put the logo from image 1 on the mug in image 2"


def test_image_10_is_not_image_1() -> None:
    text = "image 1 and image 10 and image 11"
    assert renumber_references(text, {1: 3}) == "image 3 and image 10 and image 11"
    assert renumber_references(text, {10: 2}) == "image 1 and image 2 and image 11"


def test_case_and_spacing_are_kept() -> None:
    assert renumber_references("Image 1, IMAGE 2, image3", {1: 2, 2: 3, 3: 1}) == "Image 2, IMAGE 3, image1"


def test_chinese_references() -> None:
    assert renumber_references("把图2的标志放到图1的杯子上", {1: 2, 2: 1}) == "把图1的标志放到图2的杯子上"
    assert renumber_references("图片3里的猫", {3: 1}) == "图片1里的猫"
    assert renumber_references("图12 和 图1", {1: 5}) == "图12 和 图5"


def test_words_containing_image_are_not_references() -> None:
    text = "images 2 and myimage 2 and imagery 2"
    assert renumber_references(text, {2: 1}) == text


def test_removed_reference_is_flagged_not_renumbered() -> None:
    text = "image 1 on image 2, then image 3"
    result = renumber_references(text, {1: 1, 2: None, 3: 2})
    assert result == "image 1 on [removed image 2], then image 2"
    assert len(removed_markers(result)) == 1


def test_removed_chinese_reference_is_flagged() -> None:
    result = renumber_references("图1和图2", {1: None, 2: 1})
    assert result == "[已删除的图1]和图1"
    assert len(removed_markers(result)) == 1


def test_marker_survives_later_renumbering() -> None:
    flagged = renumber_references("image 2 and image 3", {2: None, 3: 2})
    again = renumber_references(flagged, {1: 2, 2: 1})
    assert again == "[removed image 2] and image 1"


def test_unmapped_numbers_are_untouched() -> None:
    assert renumber_references("image 7 stays", {1: 2}) == "image 7 stays"


def test_referenced_numbers_in_order_of_mention() -> None:
    assert referenced_numbers("image 3, 图1, Image 3 and image 10") == [3, 1, 10]


def test_reference_token_follows_prompt_language() -> None:
    assert reference_token(2, "a cat") == "image 2"
    assert reference_token(2, "一只猫") == "图2"


@given(st.permutations(list(range(1, 10))))
def test_permutation_then_inverse_restores_text(order: list[int]) -> None:
    text = " ".join(f"image {n} 图{n}" for n in range(1, 10))
    forward = {old: new for new, old in enumerate(order, start=1)}
    inverse = {new: old for old, new in forward.items()}
    assert renumber_references(renumber_references(text, forward), inverse) == text
