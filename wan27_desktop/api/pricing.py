"""Prices per region and model (§6), the only place they live. Only output images are billed."""

from __future__ import annotations

from decimal import Decimal

from wan27_desktop.api.models import Model, Region

CURRENCY = "CNY"

# §6 official table, CNY per successfully generated image; resolution does not change the price.
PRICE_PER_IMAGE: dict[tuple[Region, Model], Decimal] = {
    (Region.BEIJING, Model.PRO): Decimal("0.50"),
    (Region.BEIJING, Model.STANDARD): Decimal("0.20"),
    (Region.SINGAPORE, Model.PRO): Decimal("0.562065"),
    (Region.SINGAPORE, Model.STANDARD): Decimal("0.220177"),
}


def price_per_image(region: Region, model: Model) -> Decimal:
    return PRICE_PER_IMAGE[(region, model)]


def estimate(region: Region, model: Model, n: int) -> Decimal:
    """Worst case before sending: n images (in image-set mode n is a ceiling, §3)."""
    return price_per_image(region, model) * n


def cost(region: Region, model: Model, image_count: int) -> Decimal:
    """What a finished job cost, from `usage.image_count` (§4.1)."""
    return price_per_image(region, model) * image_count


def format_cny(amount: Decimal) -> str:
    """'¥2.25' - two decimals, for labels such as 'Generate 4 · ≈ ¥2.25'."""
    return f"¥{amount.quantize(Decimal('0.01'))}"
