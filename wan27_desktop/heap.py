"""Python's cyclic garbage collector in a long-running window: keep full collections short.

A full (generation 2) collection walks every tracked object while holding the GIL, so every
thread, the UI thread included, waits for it, on whichever thread happened to trigger it. Most of
those objects are made at start-up and live for the whole session: modules and classes, the
window's widgets and their wrappers, the journal's rows (~45,000 objects, 10-15 ms of CPU per full
collection; 60-70 ms of UI stall in a 100-row batch when the collecting thread also lost its core
on a busy machine).

`settle_after_startup()` collects once, then moves everything alive to the permanent generation
(`gc.freeze()`), which later collections skip: they walk only what was made since. The permanent
generation is never collected; reference counting still frees its objects, so only a garbage
cycle among them would be kept, and the collection just before leaves none.
"""

from __future__ import annotations

import gc

_settled = False


def settle_after_startup() -> None:
    """Once per process, when start-up is over (the app calls it when the journal has loaded)."""
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect()
    gc.freeze()
