"""Immutable values that cross the API layer: what a user asks for (what the service answers:
results.py).

The values are `Value`s (values.py: change one with `value.replace(...)`), not frozen dataclasses:
a window loads this module before its first paint, and each frozen dataclass compiles six methods
when its module loads (~1 ms each; with the `dataclasses` module itself, ~5 ms of start-up in all).

No Qt here (the API layer is importable without PySide6). Rules about which values are allowed
live in `rules.py`; checking a request against them lives in `validation.py`.
"""

from __future__ import annotations

import enum
from typing import Final

from wan27_desktop.values import Value


class Model(str, enum.Enum):
    PRO = "wan2.7-image-pro"
    STANDARD = "wan2.7-image"

    @property
    def label(self) -> str:
        return "Wan 2.7 Pro" if self is Model.PRO else "Wan 2.7"

    @classmethod
    def parse(cls, text: str) -> Model:
        """Accept 'pro', 'standard', 'std' or the model's own name (case-insensitive)."""
        key = str(text).strip().lower()
        aliases = {"pro": cls.PRO, "standard": cls.STANDARD, "std": cls.STANDARD}
        aliases.update({model.value: model for model in cls})
        if key not in aliases:
            raise ValueError(f"Unknown model {text!r}: use 'pro' or 'standard'.")
        return aliases[key]


class Region(str, enum.Enum):
    """§1.1: Wan 2.7 image is priced and rate-limited only in these two regions."""

    SINGAPORE = "sg"
    BEIJING = "cn"

    @property
    def base_url(self) -> str:
        return REGION_BASE_URLS[self]

    @property
    def label(self) -> str:
        return "Singapore (International)" if self is Region.SINGAPORE else "China (Beijing)"

    @classmethod
    def parse(cls, text: str) -> Region:
        """Accept 'sg', 'cn', 'singapore', 'beijing', 'intl' (case-insensitive)."""
        key = text.strip().lower()
        aliases = {
            "sg": cls.SINGAPORE,
            "singapore": cls.SINGAPORE,
            "intl": cls.SINGAPORE,
            "international": cls.SINGAPORE,
            "cn": cls.BEIJING,
            "beijing": cls.BEIJING,
            "china": cls.BEIJING,
        }
        if key not in aliases:
            raise ValueError(f"Unknown region {text!r}: use 'sg' (Singapore) or 'cn' (Beijing).")
        return aliases[key]


# §1.1 shared hosts; every path below is appended to ".../api/v1".
REGION_BASE_URLS = {
    Region.SINGAPORE: "https://dashscope-intl.aliyuncs.com/api/v1",
    Region.BEIJING: "https://dashscope.aliyuncs.com/api/v1",
}


class Mode(str, enum.Enum):
    """§3.4: the mode is derived from the inputs, never chosen separately."""

    TEXT_TO_IMAGE = "text-to-image"
    TEXT_TO_IMAGE_SET = "text-to-image-set"
    EDIT = "edit"
    IMAGE_SET = "image-to-image-set"

    @property
    def label(self) -> str:
        return {
            Mode.TEXT_TO_IMAGE: "Text to image",
            Mode.TEXT_TO_IMAGE_SET: "Text to image set",
            Mode.EDIT: "Edit / multi-reference",
            Mode.IMAGE_SET: "Image to image set",
        }[self]

    @property
    def is_set(self) -> bool:
        return self in (Mode.TEXT_TO_IMAGE_SET, Mode.IMAGE_SET)

    @property
    def has_images(self) -> bool:
        return self in (Mode.EDIT, Mode.IMAGE_SET)

    @staticmethod
    def of(image_count: int, sequential: bool) -> Mode:
        if image_count == 0:
            return Mode.TEXT_TO_IMAGE_SET if sequential else Mode.TEXT_TO_IMAGE
        return Mode.IMAGE_SET if sequential else Mode.EDIT


class RequestMode(str, enum.Enum):
    """Which endpoint carries a job (§1.2).

    AUTO (the default) sends through the asynchronous endpoint, so the task id is journaled before
    anything can be lost, and polls adaptively so the result lands about as soon as a sync call
    would have returned it. SYNC waits on one HTTP call: nothing can look it up if the app dies
    while it is in flight (§5). ASYNC is the asynchronous endpoint polled at the §6 cadence.
    """

    AUTO = "auto"
    SYNC = "sync"
    ASYNC = "async"

    @property
    def uses_task(self) -> bool:
        """Whether the job is a task the service keeps (and can be queried, resumed, canceled)."""
        return self is not RequestMode.SYNC


class Box(Value):
    """§3.2: absolute pixels of the input image, origin top-left, (x1, y1) top-left corner."""

    x1: Final[int]
    y1: Final[int]
    x2: Final[int]
    y2: Final[int]

    def __init__(self, x1: int, y1: int, x2: int, y2: int) -> None:
        self.x1 = x1
        self.y1 = y1
        self.x2 = x2
        self.y2 = y2

    def as_list(self) -> list[int]:
        return [self.x1, self.y1, self.x2, self.y2]

    def scaled(self, factor: float) -> Box:
        """The same region in an image resized by `factor` (boxes follow the pixels as sent)."""
        return Box(round(self.x1 * factor), round(self.y1 * factor), round(self.x2 * factor), round(self.y2 * factor))


class PaletteColor(Value):
    """§3.3: `hex` is '#RRGGBB'; `ratio` a percentage (e.g. 40.0 for "40.00%")."""

    hex: Final[str]
    ratio: Final[float]

    def __init__(self, hex: str, ratio: float) -> None:
        self.hex = hex
        self.ratio = ratio


class ImageInput(Value):
    """One reference image: a local file path or an http(s) URL, plus up to 2 boxes (§3.2)."""

    source: Final[str]
    boxes: Final[tuple[Box, ...]]

    def __init__(self, source: str, boxes: tuple[Box, ...] = ()) -> None:
        self.source = source
        self.boxes = boxes

    @property
    def is_url(self) -> bool:
        return self.source.lower().startswith(("http://", "https://"))


class GenerationRequest(Value):
    """Everything a user can ask of the service (§2-§3), before images are encoded."""

    prompt: Final[str]
    model: Final[Model]
    images: Final[tuple[ImageInput, ...]]
    n: Final[int]
    size: Final[str]
    seed: Final[int | None]
    watermark: Final[bool]
    thinking_mode: Final[bool]
    enable_sequential: Final[bool]
    color_palette: Final[tuple[PaletteColor, ...]]

    def __init__(
        self,
        prompt: str,
        model: Model = Model.PRO,
        images: tuple[ImageInput, ...] = (),
        n: int = 1,
        size: str = "2K",
        seed: int | None = None,
        watermark: bool = False,
        thinking_mode: bool = True,
        enable_sequential: bool = False,
        color_palette: tuple[PaletteColor, ...] = (),
    ) -> None:
        self.prompt = prompt
        self.model = model
        self.images = images
        self.n = n
        self.size = size
        self.seed = seed
        self.watermark = watermark
        self.thinking_mode = thinking_mode
        self.enable_sequential = enable_sequential
        self.color_palette = color_palette

    @property
    def mode(self) -> Mode:
        return Mode.of(len(self.images), self.enable_sequential)
