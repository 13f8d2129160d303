"""What the library's maintenance reports: reconcile (files vs index), rebuild and import."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ReconcileReport:
    adopted: tuple[Path, ...] = ()
    quarantined: tuple[Path, ...] = ()
    missing_ids: tuple[int, ...] = ()
    found_again: tuple[int, ...] = ()
    scanned_dirs: int = 0
    full_scan: bool = False

    @property
    def missing(self) -> int:
        """How many rows were newly flagged because their file is gone."""
        return len(self.missing_ids)

    def __str__(self) -> str:
        return (
            f"Reconciled {'all folders' if self.full_scan else f'{self.scanned_dirs} folder(s)'}: "
            f"{len(self.adopted)} adopted, {len(self.quarantined)} quarantined, "
            f"{self.missing} missing, {len(self.found_again)} found again."
        )


@dataclass(frozen=True)
class RebuildReport:
    images: int = 0
    jobs: int = 0
    quarantined: tuple[Path, ...] = ()
    moved_aside: Path | None = None
    annotations_kept: int = 0
    backup: Path | None = None
    salvage: Any = None  # salvage.SalvageReport after a recover

    def __str__(self) -> str:
        text = f"Rebuilt the index from files: {self.images} image(s), {self.jobs} job(s)"
        if self.annotations_kept and self.salvage is None:
            text += f", ratings/tags/trash kept for {self.annotations_kept}"
        if self.quarantined:
            text += f"; {len(self.quarantined)} unreadable file(s) moved to quarantine"
        if self.salvage is not None:
            text += f"; {self.salvage}"
        if self.moved_aside:
            text += f"; the damaged database was kept as {self.moved_aside}"
        if self.backup:
            text += f"; the previous database was kept as {self.backup}"
        return text + "."


@dataclass(frozen=True)
class ImportReport:
    imported: tuple[int, ...] = ()
    duplicates: tuple[Path, ...] = ()
    failed: tuple[tuple[Path, str], ...] = field(default_factory=tuple)

    def __str__(self) -> str:
        text = f"Imported {len(self.imported)} image(s)"
        if self.duplicates:
            text += f", skipped {len(self.duplicates)} already in the library"
        if self.failed:
            text += f", {len(self.failed)} could not be read"
        return text + "."
