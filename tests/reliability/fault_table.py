"""Print the fault matrix as a markdown table for README (issue 8).

    python -m tests.reliability.fault_table          # §5 code rows grouped
    python -m tests.reliability.fault_table --full   # one row per tested case

The rows are `fault_cases.CASES`, the same list `test_fault_matrix.py` runs, so the table always
says what the suite asserts.
"""

from __future__ import annotations

import sys

from tests.reliability.fault_cases import CASES, GATEWAY, NOT_RETRIED, RETRIED, FaultCase

HEADER = "| Fault | Expected behaviour | Outcome (asserted) |\n|---|---|---|"


def _row(fault: str, expected: str, outcome: str) -> str:
    return f"| {fault} | {expected} | {outcome} |"


def _is_code_case(case: FaultCase) -> bool:
    codes = {code for _, code, _ in NOT_RETRIED} | {code for _, code in RETRIED}
    suffixes = [f"-{code}" for code in codes] + [f"-{code}-retried" for code in codes]
    suffixes += ["-free-quota", "-burst-429-retried"] + [f"-gateway-{s}-retried" for s in GATEWAY]
    return any(case.id.endswith(s) for s in suffixes)


def grouped_rows() -> list[str]:
    not_retried = ", ".join(f"{status} `{code}`" for status, code, _ in NOT_RETRIED)
    retried = ", ".join(f"{status} `{code}`" for status, code in RETRIED)
    rows = [
        _row(
            f"§5 error on sync and async create: {not_retried}; 429 `Throttling.AllocationQuota` "
            "'Free allocated quota exceeded'",
            "not retried (1 request); job failed with the service's code, message and a code-specific hint",
            "failed; creates accepted: 0",
        ),
        _row(
            f"§5 error once on sync and async create: {retried}; 429 burst message without code; "
            f"gateway {'/'.join(map(str, GATEWAY))} with the service's body",
            "retried with backoff + jitter (2 requests), then done",
            "done; creates accepted: 1",
        ),
    ]
    return rows


def table(full: bool = False) -> str:
    lines = [HEADER]
    if not full:
        lines += grouped_rows()
    for case in CASES:
        if full or not _is_code_case(case):
            lines.append(_row(case.fault, case.expected, case.outcome))
    lines.append("")
    codes = sum(1 for c in CASES if _is_code_case(c))
    lines.append(
        f"{len(CASES)} cases ({codes} of them §5 codes), each also checked for: requests per "
        "operation, a readable message with a hint, no file in `incoming/`, no row without its "
        "file, `PRAGMA integrity_check` ok, and no credential on any request to the result host."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    print(table(full="--full" in args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
