"""Property tests (hypothesis) for the §3 validators: sizes, palettes, boxes, n and seed."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from wan27_desktop.api import rules
from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Mode, Model, PaletteColor
from wan27_desktop.api.request_body import build_body
from wan27_desktop.api.validation import (
    balance_ratios,
    check,
    check_n,
    check_palette,
    check_seed,
    check_size,
    format_ratio,
)

models = st.sampled_from(list(Model))
modes = st.sampled_from(list(Mode))
sides = st.integers(min_value=1, max_value=20000)


@given(models, modes, sides, sides)
def test_custom_size_accepted_iff_in_pixel_budget_and_ratio(model, mode, width, height):
    budget = 4096 * 4096 if (model is Model.PRO and mode is Mode.TEXT_TO_IMAGE) else 2048 * 2048
    expected_ok = 768 * 768 <= width * height <= budget and max(width / height, height / width) <= 8
    assert (check_size(f"{width}*{height}", model, mode) == []) is expected_ok


@given(models, modes, sides, sides, st.sampled_from(["x", "X", "×", " * "]))
def test_size_separators_are_equivalent(model, mode, width, height, separator):
    assert (check_size(f"{width}{separator}{height}", model, mode) == []) == (
        check_size(f"{width}*{height}", model, mode) == []
    )


@given(models, modes)
def test_4k_preset_only_for_pro_text_to_image(model, mode):
    assert (check_size("4K", model, mode) == []) is (model is Model.PRO and mode is Mode.TEXT_TO_IMAGE)
    assert check_size("1K", model, mode) == [] and check_size("2k", model, mode) == []


@given(st.integers(min_value=1, max_value=64), st.integers(min_value=1, max_value=64), models, modes)
def test_size_for_ratio_is_always_valid(rw, rh, model, mode):
    width, height = rules.size_for_ratio(rw, rh, model, mode)
    assert check_size(f"{width}*{height}", model, mode) == []


@given(st.lists(st.floats(min_value=0.01, max_value=1000, allow_nan=False), min_size=1, max_size=10))
def test_balance_ratios_always_sum_to_exactly_100(weights):
    ratios = balance_ratios(weights)
    assert len(ratios) == len(weights)
    assert sum(Decimal(format_ratio(r)[:-1]) for r in ratios) == Decimal("100.00")


@given(
    st.lists(st.floats(min_value=1, max_value=1000, allow_nan=False), min_size=3, max_size=10),
    st.sampled_from([Mode.TEXT_TO_IMAGE, Mode.EDIT]),
)
def test_balanced_palette_validates_and_serialises_to_100(weights, mode):
    ratios = balance_ratios(weights)
    assume(all(r > 0 for r in ratios))
    palette = tuple(PaletteColor(f"#{i:06X}", r) for i, r in enumerate(ratios))
    assert check_palette(palette, mode) == []
    request = GenerationRequest(
        prompt="p", color_palette=palette, images=(ImageInput("https://e.com/a.png"),) if mode is Mode.EDIT else ()
    )
    sent = build_body(request)["parameters"]["color_palette"]
    assert sum(Decimal(c["ratio"].rstrip("%")) for c in sent) == Decimal("100.00")
    assert all(len(c["ratio"].rstrip("%").split(".")[1]) == 2 for c in sent)


@given(st.lists(st.floats(min_value=1, max_value=1000, allow_nan=False), min_size=1, max_size=14))
def test_palette_length_outside_3_to_10_is_refused(weights):
    palette = tuple(PaletteColor(f"#{i:06X}", r) for i, r in enumerate(balance_ratios(weights)))
    length_ok = 3 <= len(palette) <= 10
    issues = check_palette(palette, Mode.TEXT_TO_IMAGE)
    assert any("colours" in i.message for i in issues) is (not length_ok)


@given(st.sampled_from([Mode.TEXT_TO_IMAGE_SET, Mode.IMAGE_SET]))
def test_palette_is_refused_with_image_sets(mode):
    palette = (PaletteColor("#000000", 50), PaletteColor("#111111", 25), PaletteColor("#222222", 25))
    assert check_palette(palette, mode)


boxes = st.builds(
    lambda x, y, w, h: Box(x, y, x + w, y + h),
    st.integers(0, 8000),
    st.integers(0, 8000),
    st.integers(1, 4000),
    st.integers(1, 4000),
)


@given(st.lists(st.lists(boxes, max_size=3), min_size=1, max_size=9))
def test_boxes_accepted_iff_at_most_two_per_image(per_image):
    request = GenerationRequest(
        prompt="p", images=tuple(ImageInput(f"https://e.com/{i}.png", tuple(b)) for i, b in enumerate(per_image))
    )
    box_issues = [i for i in check(request) if i.field.endswith(".boxes")]
    assert (box_issues == []) is all(len(b) <= 2 for b in per_image)
    if not box_issues:
        bbox_list = build_body(request)["parameters"].get("bbox_list")
        if any(per_image):
            assert bbox_list == [[box.as_list() for box in b] for b in per_image]  # §3.2: [] kept
        else:
            assert bbox_list is None


@given(st.integers(-100, 100), st.integers(-100, 100), st.integers(-100, 100), st.integers(-100, 100))
def test_degenerate_or_negative_boxes_are_refused(x1, y1, x2, y2):
    request = GenerationRequest(prompt="p", images=(ImageInput("https://e.com/a.png", (Box(x1, y1, x2, y2),)),))
    ok = min(x1, y1, x2, y2) >= 0 and x2 > x1 and y2 > y1
    assert (not any(i.field.endswith(".boxes") for i in check(request))) is ok


@given(st.lists(boxes, min_size=1, max_size=2))
def test_boxes_are_refused_in_image_sets(image_boxes):
    request = GenerationRequest(
        prompt="p", enable_sequential=True, images=(ImageInput("https://e.com/a.png", tuple(image_boxes)),)
    )
    assert any(i.field.endswith(".boxes") for i in check(request))


@given(modes, st.integers(-5, 20))
def test_n_range_follows_mode(mode, n):
    high = 12 if mode.is_set else 4
    assert (check_n(n, mode) == []) is (1 <= n <= high)


@given(st.integers(-(2**33), 2**33))
def test_seed_range(seed):
    assert (check_seed(seed) == []) is (0 <= seed <= 2147483647)
