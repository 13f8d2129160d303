"""What goes into an image file's metadata, and what the index reads back out of it.

The JSON document written into each file is enough to rebuild the index row and its job from the
file alone (issue 3 `rebuild`): request, model, region, ids, usage, cost, job id, result index.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wan27_desktop import __version__
from wan27_desktop.library.imagefiles import HashingWriter, atomic_write, copy_into, embed_jpeg
from wan27_desktop.library.job_records import JobRecord, image_count_of_request, prompt_of_request
from wan27_desktop.library.pngmeta import (
    JSON_KEY,
    PARAMETERS_KEY,
    SOURCE_COMPOSITE,
    SOURCE_GENERATED,
    XMP_KEY,
    TextChunk,
    build_parameters,
    build_xmp,
    embed_text_chunks,
)

DOC_FORMAT = 1


@dataclass(frozen=True)
class ImageFacts:
    """The indexed, filterable facts about an image."""

    prompt: str | None
    model: str | None
    mode: str | None
    seed: int | None
    size_label: str | None
    is_set: bool
    has_refs: bool


def _sequential(request: dict[str, Any]) -> bool:
    params = request.get("parameters") or {}
    extra = request.get("_wan27") or {}
    return bool(params.get("enable_sequential", extra.get("enable_sequential", False)))


def job_document(
    job: JobRecord | None, metadata: dict[str, Any], index: int, created_at: str, library_id: str
) -> dict[str, Any]:
    """The caller's metadata, completed from the job row; ids and times are ours, not the server's."""
    doc: dict[str, Any] = dict(metadata)
    if job is not None:
        defaults = {
            "model": job.model,
            "region": job.region,
            "request_mode": job.request_mode,
            "task_id": job.task_id,
            "request_id": job.request_id,
            "request": job.request_json,
            "n": job.n,
            "estimated_cost": job.estimated_cost,
            "cost": job.cost,
            "usage": job.usage,
            "job_created_at": job.created_at,
            "inputs": [Path(p).stem for p in job.inputs],
        }
        for key, value in defaults.items():
            if doc.get(key) is None:
                doc[key] = value
        doc["job_id"] = job.id
    request = doc.get("request") or {}
    params = request.get("parameters") or {}
    doc.setdefault("prompt", prompt_of_request(request))
    if doc.get("seed") is None:
        doc["seed"] = params.get("seed")
    if doc.get("size") is None:
        doc["size"] = params.get("size")
    doc.update(
        {
            "format": DOC_FORMAT,
            "app": f"wan27-desktop {__version__}",
            "library_id": library_id,
            "index": index,
            "created_at": created_at,
        }
    )
    return doc


def facts_of_document(doc: dict[str, Any]) -> ImageFacts:
    from wan27_desktop.api.models import Mode

    request = doc.get("request") or {}
    refs = image_count_of_request(request)
    sequential = _sequential(request)
    mode = doc.get("mode")
    if request:
        mode = Mode.of(refs, sequential).value
    seed = doc.get("seed")
    return ImageFacts(
        prompt=doc.get("prompt") or prompt_of_request(request) or None,
        model=doc.get("model"),
        mode=mode,
        seed=int(seed) if isinstance(seed, int) or (isinstance(seed, str) and seed.isdigit()) else None,
        size_label=str(doc["size"]) if doc.get("size") else None,
        is_set=sequential or bool(doc.get("is_set")),
        has_refs=refs > 0 or bool(doc.get("has_refs")),
    )


def facts_of_metadata(meta: dict[str, Any]) -> ImageFacts:
    """Facts from whatever a file carries: our JSON, else A1111 `parameters`, else an XMP description."""
    if meta.get("wan27"):
        return facts_of_document(meta["wan27"])
    parsed = meta.get("parameters")
    if parsed:
        seed = parsed.get("seed")
        return ImageFacts(
            prompt=parsed.get("prompt") or None,
            model=parsed.get("model"),
            mode=None,
            seed=seed if isinstance(seed, int) and seed >= 0 else None,
            size_label=parsed.get("params", {}).get("Size"),
            is_set=False,
            has_refs=False,
        )
    xmp = meta.get("xmp") or {}
    return ImageFacts(
        prompt=xmp.get("description"), model=None, mode=None, seed=None, size_label=None, is_set=False, has_refs=False
    )


def _parameters_text(doc: dict[str, Any], facts: ImageFacts, width: int, height: int) -> str:
    return build_parameters(
        facts.prompt or "",
        {
            "Model": facts.model,
            "Seed": facts.seed,
            "Size": f"{width}x{height}",
            "Requested size": facts.size_label,
            "Mode": facts.mode,
            "Region": doc.get("region"),
            "Task id": doc.get("task_id"),
            "Request id": doc.get("request_id"),
            "Version": doc.get("app"),
        },
    )


def png_metadata_chunks(
    doc: dict[str, Any],
    facts: ImageFacts,
    width: int,
    height: int,
    *,
    add_parameters: bool = True,
    add_xmp: bool = True,
) -> list[TextChunk]:
    """Our three PNG text chunks: A1111 `parameters`, the `wan27` JSON document, and XMP."""
    chunks = []
    if add_parameters:
        params = _parameters_text(doc, facts, width, height)
        chunks.append(TextChunk(PARAMETERS_KEY, params, "tEXt" if params.isascii() else "iTXt"))
    chunks.append(TextChunk(JSON_KEY, json.dumps(doc, ensure_ascii=False, sort_keys=True), "iTXt"))
    if add_xmp:
        source_type = SOURCE_COMPOSITE if facts.has_refs else SOURCE_GENERATED
        xmp = build_xmp(
            prompt=facts.prompt or "",
            source_type=source_type,
            created=str(doc.get("created_at", "")),
            model=facts.model,
        )
        chunks.append(TextChunk(XMP_KEY, xmp, "iTXt"))
    return chunks


def write_image_file(
    source: Path,
    fmt: str,
    directory: Path,
    doc: dict[str, Any],
    facts: ImageFacts,
    width: int,
    height: int,
    name_for: Any,
    *,
    add_parameters: bool = True,
    add_xmp: bool = True,
    as_is: bool = False,
) -> tuple[Path, str, int]:
    """Write `source` plus metadata into `directory` atomically; pixels are never re-encoded.

    PNG: `parameters` (A1111), `wan27` JSON, XMP. JPEG: XMP (our JSON inside) + COM with the A1111
    text. WebP: bytes as they are (documented limitation).
    """
    text_json = json.dumps(doc, ensure_ascii=False, sort_keys=True)
    source_type = SOURCE_COMPOSITE if facts.has_refs else SOURCE_GENERATED
    created = str(doc.get("created_at", ""))

    def fill(out: HashingWriter) -> None:
        if as_is:
            copy_into(source, out)
        elif fmt == "png":
            chunks = png_metadata_chunks(doc, facts, width, height, add_parameters=add_parameters, add_xmp=add_xmp)
            embed_text_chunks(source, out, chunks)
        elif fmt == "jpeg":
            xmp = build_xmp(
                prompt=facts.prompt or "",
                source_type=source_type,
                created=created,
                model=facts.model,
                extra_json=text_json,
            )
            if len(xmp.encode("utf-8")) > 65000:  # one APP1 segment: keep the essentials only
                xmp = build_xmp(
                    prompt=(facts.prompt or "")[:5000], source_type=source_type, created=created, model=facts.model
                )
            embed_jpeg(source, out, xmp=xmp, parameters=_parameters_text(doc, facts, width, height))
        else:
            copy_into(source, out)

    return atomic_write(directory, fill, name_for)
