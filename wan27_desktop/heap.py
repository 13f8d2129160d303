"""Keep full garbage collections short: the start-up heap is moved out of the collector's way.

A full (generation 2) collection walks every tracked object while holding the GIL; since
gc_policy.py it runs on the UI thread (at most every 10 s, when due), so the window does nothing
else meanwhile. Most of those objects are made at start-up and live for the whole session:
modules and classes, the window's widgets and their wrappers, the journal's rows: ~45,000 objects,
10-15 ms of CPU per full collection here (before gc_policy, on a pool thread that then lost its
core on a busy machine, a 60-70 ms stall of the UI in a 100-row batch).

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
