"""A batch's polling learns how long its tasks take and looks when one should be done."""

from __future__ import annotations

import pytest

from wan27_desktop.api.polling import FixedPolling
from wan27_desktop.jobs.batch.pacing import LEARN_FROM, QUICK_FOR_S, QUICK_S, LearnedPolling

EVERY_2_S = FixedPolling(2.0, 2.0)


def test_before_enough_tasks_ended_it_polls_as_the_fallback_does():
    pacing = LearnedPolling(EVERY_2_S)
    for _ in range(LEARN_FROM - 1):
        pacing.learn(3.0)
    assert pacing.expected() is None
    assert pacing.delay(0.5, 0.5) == 2.0


def test_it_looks_at_the_expected_end_then_quickly_then_as_before():
    pacing = LearnedPolling(EVERY_2_S)
    for seconds in (3.4, 3.2, 3.3):
        pacing.learn(seconds)
    expected = pacing.expected()
    assert expected == pytest.approx(3.3 - QUICK_S)
    assert pacing.delay(0.0, 0.5) == 2.0  # far from the end: as before
    assert pacing.delay(2.0, 0.5) == pytest.approx(expected - 2.0)  # never later than the end
    assert pacing.delay(expected + 0.1, 0.5) == QUICK_S  # around the end: quickly
    assert pacing.delay(expected + QUICK_FOR_S + 0.1, 0.5) == 2.0  # a slow one: as before again


def test_it_follows_the_recent_tasks_and_ignores_nonsense():
    pacing = LearnedPolling(EVERY_2_S)
    pacing.learn(-1.0)
    pacing.learn(0.0)
    assert pacing.expected() is None
    for _ in range(30):
        pacing.learn(10.0)
    for _ in range(20):
        pacing.learn(4.0)
    assert pacing.expected() == pytest.approx(4.0 - QUICK_S)
