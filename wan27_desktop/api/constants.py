"""Defaults named once: how often a task is polled, how long a request may take, how often one is
retried. The client, the download, the job runner, the app and the `wan27` command import them from
here instead of retyping the numbers. Plain numbers and nothing else imported (but the `Value` base of
`Timeouts`), so the app's start-up and `wan27 --help` can import this without loading httpx.
"""

from __future__ import annotations

from typing import Final

from wan27_desktop.values import Value


class Timeouts(Value):
    """Seconds for each phase of one HTTP exchange (`httpx.Timeout(**timeouts.as_dict())`). A `Value`
    (values.py), not a NamedTuple: this module loads before the window's first paint."""

    connect: Final[float]
    read: Final[float]
    write: Final[float]
    pool: Final[float]

    def __init__(self, connect: float, read: float, write: float, pool: float) -> None:
        self.connect = connect
        self.read = read
        self.write = write
        self.pool = pool


# -- polling a task (§6) ----------------------------------------------------------------------
# Alibaba recommends polling every 5-10 s; each wait is drawn from this range (jitter).
POLL_INTERVAL_S = (5.0, 10.0)
# One wait for a task gives up locally after this long; the task stays resumable for 24 h (§4.3).
POLL_DEADLINE_S = 600.0
# Automatic mode (issue 14) lands results about as soon as sync would: the first query this long
# after submitting, then every elapsed/STRETCH seconds, at least FLOOR and at most CAP apart.
AUTO_POLL_FIRST_S = 1.0
AUTO_POLL_FLOOR_S = 1.0
AUTO_POLL_CAP_S = 2.0
AUTO_POLL_STRETCH = 20.0
# §6: task queries per second per account; this process keeps to half (the rest for other ones).
ACCOUNT_QUERY_QPS = 20.0

# -- jobs --------------------------------------------------------------------------------------
JOB_CONCURRENCY = 2  # jobs sent at once unless Settings say otherwise (the service allows 5, §6)

# -- API requests (§4.1) ----------------------------------------------------------------------
# A sync create can take minutes, so its read timeout is 300 s; queries answer at once.
CREATE_TIMEOUTS = Timeouts(connect=10.0, read=300.0, write=60.0, pool=10.0)
QUERY_TIMEOUTS = Timeouts(connect=10.0, read=30.0, write=30.0, pool=10.0)

# -- retries (§5, §6) -------------------------------------------------------------------------
MAX_ATTEMPTS = 4  # every try, the first included
RETRY_BASE_DELAY_S = 1.0  # exponential backoff with full jitter from here ...
RETRY_MAX_DELAY_S = 30.0  # ... up to here
# Throttling normally clears within a minute, so a longer Retry-After is not worth waiting for ...
MAX_RETRY_AFTER_S = 60.0
# ... and a throttled request is tried again for about that long in all (§5, §6), with waits
# growing to at most THROTTLE_MAX_DELAY_S.
THROTTLE_BUDGET_S = 60.0
THROTTLE_MAX_DELAY_S = 16.0
THROTTLE_MAX_ATTEMPTS = 12
# Checking a key answers a person who is waiting in a dialog: fewer, quicker retries.
KEY_CHECK_MAX_ATTEMPTS = 2
KEY_CHECK_BASE_DELAY_S = 0.5

# -- result downloads -------------------------------------------------------------------------
# A result whose link keeps failing ends after this many rounds (each one download with its own
# retries), or at once on a permanent 4xx, instead of staying "downloading" forever (issue 14).
DOWNLOAD_ROUNDS = 5
DOWNLOAD_TIMEOUTS = Timeouts(connect=10.0, read=60.0, write=30.0, pool=10.0)
DOWNLOAD_DEADLINE_S = 600.0  # a slow-loris body that trickles forever still ends
DOWNLOAD_MAX_BYTES = 100 * 1024 * 1024
MAX_REDIRECTS = 5
