"""The draft: what the user is putting together before Generate, as observable properties.

Prompt, references (with their boxes), parameters, palette and request mode. The generation
panel binds its widgets to these properties; reuse from the gallery, the welcome's sample prompt,
File ▸ New and a restored draft all change the draft, and the panel follows. `request()` is what
Generate sends: boxes and a palette the mode cannot use are kept in the draft but left out of the
request (the rules live in `api.rules`), so a request is never invalid for that.

The JSON form (`to_json` / `from_json`) is what `DraftStore` writes; it is lenient in what it reads,
so a draft written by an older version, or hand-edited, still loads what it can.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any, Final
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Signal

from wan27_desktop.api import rules
from wan27_desktop.api.models import Box, GenerationRequest, ImageInput, Mode, Model, PaletteColor, RequestMode
from wan27_desktop.values import Value
from wan27_desktop.workspace.properties import ObservableProperties, Property

FORMAT_VERSION = 1

# The palette offered once "Use a colour palette" is ticked (§3.3: the shares add up to 100 %).
DEFAULT_PALETTE: tuple[PaletteColor, ...] = (
    PaletteColor("#1F3A5F", 40.0),
    PaletteColor("#F2C14E", 35.0),
    PaletteColor("#FAFAF7", 25.0),
)


class Parameters(Value):
    """Every `parameters` field a user chooses (§3), as the parameters panel shows them. A `Value`
    (values.py: change one with `replace`), like `DraftReference`: a frozen dataclass is compiled
    when its module loads (~1.5 ms each, before the full window)."""

    model: Final[Model]
    size: Final[str]
    n: Final[int]
    seed: Final[int | None]
    thinking: Final[bool]
    sequential: Final[bool]
    watermark: Final[bool]

    def __init__(
        self,
        model: Model = Model.PRO,
        size: str = "2K",
        n: int = 1,
        seed: int | None = None,
        thinking: bool = True,
        sequential: bool = False,
        watermark: bool = False,
    ) -> None:
        self.model = model
        self.size = size
        self.n = n
        self.seed = seed
        self.thinking = thinking
        self.sequential = sequential
        self.watermark = watermark

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model.value,
            "size": self.size,
            "n": self.n,
            "seed": self.seed,
            "thinking": self.thinking,
            "sequential": self.sequential,
            "watermark": self.watermark,
        }

    @classmethod
    def from_json(cls, data: Any) -> Parameters:
        if not isinstance(data, dict):
            return cls()
        default = cls()
        try:
            model = Model(data.get("model", default.model.value))
        except ValueError:
            model = default.model
        seed = data.get("seed")
        return cls(
            model=model,
            size=str(data.get("size") or default.size),
            n=_int(data.get("n"), default.n),
            seed=seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
            thinking=bool(data.get("thinking", default.thinking)),
            sequential=bool(data.get("sequential", default.sequential)),
            watermark=bool(data.get("watermark", default.watermark)),
        )


class DraftReference(Value):
    """One reference image of the draft: a local path or an http(s) URL, its boxes, and the name
    it is shown under (a restored reference lives under its content hash in the library's inputs,
    but keeps the name it was added with)."""

    source: Final[str]
    boxes: Final[tuple[Box, ...]]
    name: Final[str]

    def __init__(self, source: str, boxes: tuple[Box, ...] = (), name: str = "") -> None:
        self.source = source
        self.boxes = boxes
        self.name = name

    @property
    def is_url(self) -> bool:
        return self.source.lower().startswith(("http://", "https://"))

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        if self.is_url:
            parts = urlsplit(self.source)
            return PurePath(parts.path).name or parts.netloc
        return PurePath(self.source).name

    def image_input(self) -> ImageInput:
        return ImageInput(self.source, self.boxes)


class Draft(QObject, ObservableProperties):
    """The request being put together. `modified(name)` follows every change of a saved property."""

    prompt = Property("", persist=True)
    references = Property[tuple[DraftReference, ...]]((), persist=True)
    parameters = Property(Parameters(), persist=True)
    palette = Property[tuple[PaletteColor, ...]](DEFAULT_PALETTE, persist=True)  # being edited, used or not
    palette_on = Property(False, persist=True)
    request_mode = Property(RequestMode.AUTO, persist=True)

    prompt_changed = Signal(object)
    references_changed = Signal(object)
    parameters_changed = Signal(object)
    palette_changed = Signal(object)
    palette_on_changed = Signal(object)
    request_mode_changed = Signal(object)
    modified = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    # -- reading ------------------------------------------------------------------------------------
    @property
    def mode(self) -> Mode:
        return Mode.of(len(self.references), self.parameters.sequential)

    def request(self) -> GenerationRequest:
        """What Generate would send (rules of the mode applied; validation is the caller's)."""
        mode, params = self.mode, self.parameters
        keep_boxes = rules.boxes_apply(mode)
        images = tuple(ImageInput(ref.source, ref.boxes if keep_boxes else ()) for ref in self.references)
        palette = self.palette if self.palette_on and rules.palette_applies(mode) else ()
        return GenerationRequest(
            prompt=self.prompt,
            model=params.model,
            images=images,
            n=params.n,
            size=params.size,
            seed=params.seed,
            watermark=params.watermark,
            thinking_mode=params.thinking,
            enable_sequential=params.sequential,
            color_palette=palette,
        )

    def is_empty(self) -> bool:
        """Nothing the user typed or added: no prompt and no references."""
        return not self.prompt.strip() and not self.references

    # -- writing ------------------------------------------------------------------------------------
    def set_request(self, request: GenerationRequest, request_mode: RequestMode | None = None) -> None:
        """Take every value of a request ("reuse all parameters")."""
        self.references = tuple(DraftReference(image.source, tuple(image.boxes)) for image in request.images)
        self.parameters = Parameters(
            model=request.model,
            size=request.size,
            n=request.n,
            seed=request.seed,
            thinking=request.thinking_mode,
            sequential=request.enable_sequential,
            watermark=request.watermark,
        )
        if request.color_palette:
            self.palette = tuple(request.color_palette)
        self.palette_on = bool(request.color_palette)
        if request_mode is not None:
            self.request_mode = request_mode
        self.prompt = request.prompt

    def add_reference(self, source: str, name: str = "") -> bool:
        """Append a reference; False when the draft holds the most the service takes (§2.3)."""
        if len(self.references) >= rules.MAX_IMAGES:
            return False
        self.references = (*self.references, DraftReference(source, (), name))
        return True

    def set_parameter(self, **changes: Any) -> None:
        self.parameters = self.parameters.replace(**changes)

    # -- saved form ---------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {
            "version": FORMAT_VERSION,
            "prompt": self.prompt,
            "references": [
                {"source": ref.source, "name": ref.display_name, "boxes": [box.as_list() for box in ref.boxes]}
                for ref in self.references
            ],
            "parameters": self.parameters.to_json(),
            "palette": [{"hex": color.hex, "ratio": color.ratio} for color in self.palette],
            "palette_on": self.palette_on,
            "request_mode": self.request_mode.value,
        }

    def load_json(self, data: Any) -> None:
        """Take what a saved draft holds; anything missing or unreadable keeps its default."""
        if not isinstance(data, dict):
            return
        references = []
        for entry in data.get("references") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("source"), str) or not entry["source"]:
                continue
            boxes = tuple(
                Box(*(int(v) for v in box))
                for box in entry.get("boxes") or []
                if isinstance(box, list) and len(box) == 4 and all(isinstance(v, (int, float)) for v in box)
            )
            references.append(DraftReference(entry["source"], boxes, str(entry.get("name") or "")))
        palette = tuple(
            PaletteColor(str(c["hex"]), float(c["ratio"]))
            for c in data.get("palette") or []
            if isinstance(c, dict) and isinstance(c.get("hex"), str) and isinstance(c.get("ratio"), (int, float))
        )
        try:
            request_mode = RequestMode(data.get("request_mode", self.request_mode.value))
        except ValueError:
            request_mode = self.request_mode
        self.references = tuple(references[: rules.MAX_IMAGES])
        self.parameters = Parameters.from_json(data.get("parameters"))
        self.palette = palette or DEFAULT_PALETTE
        self.palette_on = bool(data.get("palette_on", False)) and bool(palette)
        self.request_mode = request_mode
        prompt = data.get("prompt")
        self.prompt = prompt if isinstance(prompt, str) else ""

    def snapshot(self) -> dict[str, Any]:
        """Everything, to put back later with `load_json` (File ▸ New's undo)."""
        return self.to_json()


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default
