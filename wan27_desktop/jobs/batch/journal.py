"""Journal a batch before anything is sent: every accepted row's request, its reference images
copied into the library (content-addressed, as a job's are), in one transaction.

A row's request is stored in the job journal's own form (jobs/serialize.py: the wire body with
`input:<sha256>` for local images), so at its turn it is read back exactly like a job's, from the
library's copy of each image: the batch does not depend on the source folder any more, and a
moved library finds its inputs by hash.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from wan27_desktop.api import pricing
from wan27_desktop.api.models import GenerationRequest, Region, RequestMode
from wan27_desktop.api.request_body import EncodedImage, build_body
from wan27_desktop.jobs.batch.sources import BatchPlan
from wan27_desktop.jobs.serialize import INPUT_PREFIX, request_from_json, request_to_json
from wan27_desktop.library import Library
from wan27_desktop.library.batches import NewRow
from wan27_desktop.text import one_line

NAME_CHARS = 60


def journal_batch(
    library: Library,
    plan: BatchPlan,
    *,
    region: Region,
    endpoint: str,
    request_mode: RequestMode,
    name: str | None = None,
) -> int:
    """Write the batch and its accepted rows (state running); returns the batch id. Refused rows
    are not part of the batch: the preview listed them."""
    rows = []
    total = Decimal(0)
    for position, spec in enumerate(plan.accepted):
        assert spec.request is not None
        rows.append(
            NewRow(
                position=position,
                line=spec.line,
                request_json=_journal_form(library, spec.request, request_mode),
                labels=dict(spec.labels) if spec.labels else None,
            )
        )
        total += pricing.estimate(region, spec.request.model, spec.request.n)
    return library.batches.create_batch(
        name=name or default_name(plan),
        kind=plan.kind,
        source=plan.source,
        request_mode=request_mode.value,
        region=region.value,
        endpoint=endpoint,
        rows=rows,
        estimated_cost=str(total),
        axes=[(axis.name, axis.values) for axis in plan.axes],
    )


def row_request(library: Library, request_json: dict[str, Any]) -> GenerationRequest:
    """A journaled row's request, its local images read from the library's copies."""
    return request_from_json(request_json, _input_paths(library, request_json))


def default_name(plan: BatchPlan) -> str:
    if plan.kind == "matrix":
        return one_line(plan.source, NAME_CHARS)
    return Path(plan.source).name or plan.source


def _journal_form(library: Library, request: GenerationRequest, request_mode: RequestMode) -> dict[str, Any]:
    shas: list[str | None] = []
    for image in request.images:
        if image.is_url:
            shas.append(None)
        else:
            sha, _ = library.jobs.store_input(Path(image.source))
            shas.append(sha)
    body = build_body(request, [EncodedImage(i.source, i.boxes) for i in request.images])
    return request_to_json(request, body, shas, request_mode)


def _input_paths(library: Library, request_json: dict[str, Any]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    content = request_json.get("input", {}).get("messages", [{}])[0].get("content", [])
    for item in content:
        value = item.get("image") if isinstance(item, dict) else None
        if isinstance(value, str) and value.startswith(INPUT_PREFIX):
            sha = value[len(INPUT_PREFIX) :]
            folder = library.paths.inputs_dir / sha[:2]
            copies = sorted(folder.glob(f"{sha}.*")) if folder.is_dir() else []
            if copies:
                found[sha] = copies[0]
    return found
