"""Fault injection for the fake DashScope server.

A `Fault` is scoped to one operation ("sync", "create", "query", "cancel", "list" (the task list),
"download" or "any") and is consumed `times` times (None = forever). Kinds fall into three families,
which decide *when* a fault is taken:

- response faults replace or disturb the HTTP exchange; taken when a request arrives;
- outcome faults change what a generation produces; taken when a sync call or an async create is
  accepted, or (op="query") when a task reaches its end;
- download faults only make sense on the result host.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

OPS = ("sync", "create", "query", "cancel", "list", "download", "any")

RESPONSE_KINDS = frozenset(
    {
        "error",
        "throttle",
        "server_error",
        "slow",
        "slow_body",
        "drop",
        "reset_mid_body",
        "invalid_json",
        "html",
    }
)
OUTCOME_KINDS = frozenset({"moderation", "task_failed", "partial", "empty"})
DOWNLOAD_KINDS = frozenset({"expired", "not_image", "redirect", "huge", "bomb"})
KINDS = RESPONSE_KINDS | OUTCOME_KINDS | DOWNLOAD_KINDS

# Which ops each family can be scoped to ("any" is always allowed).
_OUTCOME_OPS = frozenset({"sync", "create", "query", "any"})
_DOWNLOAD_OPS = frozenset({"download", "any"})

# Parameters each kind understands; anything else is a typo in a test and is refused.
_PARAMS: dict[str, frozenset[str]] = {
    "error": frozenset({"status", "code", "message", "accept"}),
    "throttle": frozenset({"retry_after", "code", "message", "status", "accept"}),
    "server_error": frozenset({"status", "code", "message", "accept"}),
    "slow": frozenset({"delay"}),
    "slow_body": frozenset({"delay", "chunk_size", "chunks"}),
    "drop": frozenset({"accept"}),
    "reset_mid_body": frozenset({"fraction", "bytes"}),
    "invalid_json": frozenset({"status", "body", "accept"}),
    "html": frozenset({"status", "accept"}),
    "moderation": frozenset({"code", "message", "status"}),
    "task_failed": frozenset({"code", "message", "status"}),
    "partial": frozenset({"count", "code", "message", "metrics"}),
    "empty": frozenset({"variant"}),
    "expired": frozenset(),
    "not_image": frozenset({"content_type", "body"}),
    "redirect": frozenset({"status", "location"}),
    "huge": frozenset({"size", "declare"}),
    "bomb": frozenset({"width", "height"}),
}


@dataclass(init=False)
class Fault:
    """One injected misbehaviour, e.g. `Fault("query", "throttle", times=2, retry_after=3)`."""

    op: str
    kind: str
    times: int | None = 1
    params: dict[str, Any] = field(default_factory=dict)
    used: int = 0

    def __init__(self, op: str, kind: str, times: int | None = 1, **params: Any) -> None:
        if op not in OPS:
            raise ValueError(f"unknown fault op {op!r}; use one of {OPS}")
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {sorted(KINDS)}")
        if kind in OUTCOME_KINDS and op not in _OUTCOME_OPS:
            raise ValueError(f"fault kind {kind!r} applies to sync/create/query, not {op!r}")
        if kind in DOWNLOAD_KINDS and op not in _DOWNLOAD_OPS:
            raise ValueError(f"fault kind {kind!r} applies to downloads only, not {op!r}")
        unknown = set(params) - _PARAMS[kind]
        if unknown:
            raise ValueError(f"fault kind {kind!r} does not take {sorted(unknown)}")
        if times is not None and times < 1:
            raise ValueError("times must be >= 1 or None (forever)")
        self.op = op
        self.kind = kind
        self.times = times
        self.params = dict(params)
        self.used = 0

    def get(self, name: str, default: Any = None) -> Any:
        return self.params.get(name, default)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.used >= self.times

    def matches(self, op: str, family: frozenset[str]) -> bool:
        return self.kind in family and self.op in (op, "any") and not self.exhausted


class FaultBook:
    """Thread-safe list of pending faults; `take` consumes the first matching one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[Fault]:
        with self._lock:
            return [f for f in self._faults if not f.exhausted]

    def take(self, op: str, family: frozenset[str]) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(op, family):
                    fault.used += 1
                    return fault
        return None
