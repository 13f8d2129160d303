"""Palette ratio arithmetic (§3.3): shares with two decimals that always total exactly 100.00%.

Pure functions; the final rounding is `validation.balance_ratios` (largest remainder), so the
widget and the request validator agree on what "100.00%" means.
"""

from __future__ import annotations

from wan27_desktop.api.validation import balance_ratios

MIN_SHARE = 1.0  # percent; a colour below 1% would not show and only confuses the sliders


def rebalance(ratios: list[float], index: int, value: float) -> list[float]:
    """Set colour `index` to `value`% and scale the others proportionally to fill the rest.

    Every colour keeps at least MIN_SHARE; the result has two decimals and sums to 100.00.
    """
    count = len(ratios)
    if count == 0:
        return []
    if count == 1:
        return [100.0]
    high = 100.0 - MIN_SHARE * (count - 1)
    value = min(max(value, MIN_SHARE), high)
    rest = 100.0 - value
    others = [i for i in range(count) if i != index]
    shares = _water_fill([max(ratios[i], 0.0) for i in others], rest)
    weights = [0.0] * count
    weights[index] = value
    for i, share in zip(others, shares, strict=True):
        weights[i] = share
    return _with_floor(balance_ratios(weights))


def _water_fill(weights: list[float], total: float) -> list[float]:
    """Split `total` proportionally to `weights`, lifting any share below MIN_SHARE to it."""
    fixed: dict[int, float] = {}
    while True:
        free = [i for i in range(len(weights)) if i not in fixed]
        budget = total - sum(fixed.values())
        weight_sum = sum(weights[i] for i in free)
        shares = {i: (budget * weights[i] / weight_sum if weight_sum > 0 else budget / len(free)) for i in free}
        low = [i for i, share in shares.items() if share < MIN_SHARE]
        if not low or len(low) == len(free):
            if low:  # everything left is below the floor: split evenly
                shares = {i: budget / len(free) for i in free}
            return [fixed.get(i, shares.get(i, 0.0)) for i in range(len(weights))]
        for i in low:
            fixed[i] = MIN_SHARE


def _with_floor(ratios: list[float]) -> list[float]:
    # Largest-remainder rounding can leave a floored share at 0.99; take the cent from the largest.
    result = list(ratios)
    for i, ratio in enumerate(result):
        if ratio < MIN_SHARE:
            largest = max(range(len(result)), key=lambda j: result[j])
            missing = round(MIN_SHARE - ratio, 2)
            result[i] = MIN_SHARE
            result[largest] = round(result[largest] - missing, 2)
    return result


def with_added(ratios: list[float]) -> list[float]:
    """Ratios after adding one colour: it gets an average share, the others shrink proportionally."""
    if not ratios:
        return [100.0]
    return balance_ratios(list(ratios) + [100.0 / len(ratios)])


def without(ratios: list[float], index: int) -> list[float]:
    """Ratios after removing colour `index`: the others grow proportionally back to 100.00."""
    rest = [r for i, r in enumerate(ratios) if i != index]
    if not rest:
        return []
    if sum(rest) <= 0:
        return balance_ratios([1.0] * len(rest))
    return balance_ratios(rest)
