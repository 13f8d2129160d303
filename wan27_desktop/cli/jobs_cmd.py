"""`wan27 jobs list|show|resume|retry|cancel|fetch|remote`: the journal, and the service's own
list of this account's tasks, from a terminal.

Every command that touches a journaled job uses where that job was sent (its region and endpoint,
the key of its region), whatever the flags or settings say now. Exit codes (README): 0 every job
ended well, 2 invalid input, 3 the service refused or a job ended failed/interrupted/expired,
4 network, 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from typing import Any

from wan27_desktop.cli.common import EXIT_OK, EXIT_SERVICE, CliError, endpoint_arg, err, open_library, out, parse_ids
from wan27_desktop.cli.generate import parse_region

# States a command reports as not ending well (exit 3): the user has something to look at.
_BAD_ENDINGS = ("failed", "interrupted", "expired")


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("jobs", help="list, inspect, resume, retry, cancel or fetch jobs")
    sub = p.add_subparsers(dest="jobs_action", metavar="ACTION")
    sub.required = True
    ls = sub.add_parser("list", help="recent jobs, newest first")
    ls.add_argument("--limit", type=int, default=30)
    ls.set_defaults(handler=list_jobs)
    show = sub.add_parser("show", help="everything known about one job")
    show.add_argument("job_id")
    show.set_defaults(handler=show_job)

    resume = sub.add_parser(
        "resume", help="carry on unfinished jobs (never resubmits); with an id, also an expired or idle one"
    )
    resume.add_argument("job_id", nargs="?", help="one job (e.g. an expired one whose links may still work)")
    resume.set_defaults(handler=resume_jobs)

    retry = sub.add_parser("retry", help="run a job's request again as a new job (billed again)")
    retry.add_argument("job_id")
    _service_flags(retry, "where to send the new job (default: Singapore)")
    retry.add_argument(
        "--over-limit", action="store_true", help="send even if it crosses a spending limit ('wan27 spend')"
    )
    retry.set_defaults(handler=retry_job)

    cancel = sub.add_parser("cancel", help="cancel a job: only a task the service confirms as canceled is free")
    cancel.add_argument("job_id")
    cancel.set_defaults(handler=cancel_job)

    fetch = sub.add_parser("fetch", help="adopt a task of this key by its id (kept 24 h) and save its images")
    fetch.add_argument("task_id")
    _service_flags(fetch, "where the task was made (default: Singapore)")
    fetch.set_defaults(handler=fetch_task)

    remote = sub.add_parser("remote", help="this account's recent Wan 2.7 tasks at the service, and which are here")
    remote.add_argument("--since", default="24h", help="how far back: e.g. 30m, 6h, 24h (tasks are kept 24 h)")
    remote.add_argument("--status", help="PENDING, RUNNING, SUCCEEDED, FAILED or CANCELED")
    _service_flags(remote, "which region's tasks (default: Singapore)")
    remote.set_defaults(handler=remote_tasks)

    for cmd in (resume, retry, cancel, fetch):
        cmd.add_argument("--poll-interval", type=float, default=None, help=argparse.SUPPRESS)


def _service_flags(cmd: argparse.ArgumentParser, what: str) -> None:
    cmd.add_argument("--region", default="sg", help=f"sg or cn: {what}")
    cmd.add_argument("--api-base", type=endpoint_arg, help="custom endpoint ending in /api/v1")


def list_jobs(args: argparse.Namespace) -> int:
    with open_library() as library:
        jobs = library.jobs.find(limit=args.limit)
        if not jobs:
            out('No jobs yet. Try: wan27 generate "a red fox in snow"')
        for job in jobs:
            prompt = _prompt_of(job.request_json) or (f"(task {job.task_id})" if job.task_id else "")
            out(
                f"{job.id:>6}  {job.created_at[:19]}  {job.state.value:<15} {job.model or '-':<18} "
                f"{job.request_mode:<5} {prompt[:60]}"
            )
    return EXIT_OK


def show_job(args: argparse.Namespace) -> int:
    (job_id,) = parse_ids([args.job_id])
    with open_library() as library:
        job = library.jobs.get(job_id)
        out(f"Job {job.id}: {job.state.value}")
        out(f"  prompt:     {_prompt_of(job.request_json)}")
        out(f"  model:      {job.model or '-'}   mode: {job.request_mode}   region: {job.region}")
        out(f"  endpoint:   {job.endpoint}")
        out(f"  created:    {job.created_at}   finished: {job.finished_at or '-'}")
        out(f"  sent:       {job.sent_at or 'never (nothing was billed)'}")
        out(f"  task id:    {job.task_id or '-'}   request id: {job.request_id or '-'}")
        out(f"  cost:       {job.cost or '-'} (estimated {job.estimated_cost})")
        if job.usage:
            out(f"  usage:      {json.dumps(job.usage)}")
        if job.error_message:
            out(f"  error:      {job.error_message} [{job.error_code}]")
            out(f"  hint:       {job.error_hint}")
        for image in library.images.of_job(job.id):
            out(f"  image {image.index}: {image.path} ({image.width}x{image.height})")
    return EXIT_OK


def _on_event(event: Any) -> None:
    """Progress on stderr: states, notices (rate-limited, a refused cancel) and errors."""
    if event.notice is not None:
        err(f"job {event.job_id}: {event.notice.message}")
        return
    suffix = f" - {event.error.message}" if event.error else ""
    status = f" ({event.server_status})" if event.server_status and not suffix else ""
    err(f"job {event.job_id}: {event.state.value}{status}{suffix}")


def _runner(library: Any, args: argparse.Namespace, *, new_jobs: bool = False) -> Any:
    """A runner; `new_jobs`: with the connection of --region/--api-base for jobs it creates (a
    journaled job always goes where it was sent, whatever these say)."""
    from wan27_desktop.jobs.connection import resolve_connection
    from wan27_desktop.jobs.runner import JobRunner

    interval = (args.poll_interval, args.poll_interval) if getattr(args, "poll_interval", None) else None
    connection = resolve_connection(parse_region(args.region), args.api_base) if new_jobs else None
    return JobRunner(library, connection, on_event=_on_event, poll_interval=interval)


def _report(library: Any, job_ids: list[int]) -> int:
    """Each job's final state and saved files on stdout; exit 3 when any ended badly (README)."""
    worst = EXIT_OK
    for job_id in job_ids:
        job = library.jobs.get(job_id)
        line = f"job {job_id}: {job.state.value}"
        if job.state.value in _BAD_ENDINGS or job.state.is_unfinished:
            line += f" - {job.error_message or 'not finished'}"
            if job.error_hint:
                line += f" ({job.error_hint})"
            worst = EXIT_SERVICE
        out(line)
        for image in library.images.of_job(job_id):
            out(str(image.path))
    return worst


def resume_jobs(args: argparse.Namespace) -> int:
    with open_library() as library:
        _mention_batches(library)
        running_elsewhere = set(library.jobs.leased())  # its own process carries it on and reports it
        runner = _runner(library, args)
        try:
            if args.job_id is not None:
                (job_id,) = parse_ids([args.job_id])
                library.jobs.get(job_id)  # NotFound: exit 2
                wanted = [job_id]
            else:
                for job_id in runner.close_unsent_queued():
                    out(f"job {job_id}: not sent before the app closed - closed, nothing was billed")
                wanted = [job.id for job in library.jobs.unfinished()]
                in_batches = library.batches.member_job_ids(wanted)  # resumed with their batch
                wanted = [job_id for job_id in wanted if job_id not in in_batches]
                if not wanted:
                    out("Nothing to resume: every job is finished.")
                    return EXIT_OK
            for job_id in wanted:
                if job_id not in running_elsewhere:
                    runner.resume(job_id)  # does nothing if another process took it meanwhile
            ours = _left_to_others(library, wanted, running_elsewhere)
            return _report(library, ours) if ours else EXIT_OK
        finally:
            runner.close()


def _left_to_others(library: Any, job_ids: list[int], running_elsewhere: set[int]) -> list[int]:
    """Say which jobs another window or command runs (they report themselves); the rest, ours."""
    now = library.jobs.leased()
    ours = []
    for job_id in job_ids:
        if job_id in running_elsewhere or job_id in now:
            owner = now.get(job_id, "it has just finished there")
            out(f"job {job_id}: running in another window or command ({owner}); left to it")
        else:
            ours.append(job_id)
    return ours


def _mention_batches(library) -> None:
    """A batch's rows are resumed with their batch (`wan27 batch resume ID`), not here."""
    for batch in library.batches.unfinished_batches():
        err(f"batch {batch.id} ({batch.name}) is unfinished: 'wan27 batch resume {batch.id}' carries it on.")


def retry_job(args: argparse.Namespace) -> int:
    (job_id,) = parse_ids([args.job_id])
    with open_library() as library:
        from wan27_desktop.jobs.serialize import is_adopted

        if is_adopted(library.jobs.get(job_id).request_json):
            raise CliError(
                f"Job {job_id} was fetched by its task id; its request is not known, so it cannot be retried."
            )
        runner = _runner(library, args, new_jobs=True)
        try:
            request, mode = runner.retry_request(job_id)
            if runner.connection is not None:  # billed again: the spending limits apply (issue 17)
                from wan27_desktop.jobs.spending import check_limits, request_estimate

                region = runner.connection.region
                check_limits(library, region, request_estimate(region, request), override=args.over_limit)
            new_id = runner.create(request, mode)
            runner.run(new_id)
        finally:
            runner.close()
        out(f"job {new_id} is a retry of job {job_id}")
        return _report(library, [new_id])


def cancel_job(args: argparse.Namespace) -> int:
    """The GUI's Cancel from a terminal (JobRunner.cancel holds the rules). When the service refuses
    (its task already runs, so it will be billed) and no other window or command runs the job, this
    command lands the results itself, as the GUI's row does: a paid result is never left behind."""
    from wan27_desktop.jobs.notices import CANCEL_REFUSED

    (job_id,) = parse_ids([args.job_id])
    with open_library() as library:
        runner = _runner(library, args)
        try:
            job = runner.cancel(job_id)
            if job.state.value == "canceled":
                out(f"job {job_id}: canceled - {job.error_message or 'nothing was billed'}")
                return EXIT_OK
            message = job.error_message or "the service has not confirmed the cancel yet"
            out(f"job {job_id}: {job.state.value} - {message}")
            if job.error_code == CANCEL_REFUSED and not library.jobs.is_leased(job_id):
                out("  Waiting for its results to save them (Ctrl-C stops waiting; 'wan27 jobs resume' carries on).")
                runner.resume(job_id)
                _report(library, [job_id])
            elif job.error_hint:
                out(f"  {job.error_hint}")
        finally:
            runner.close()
        return EXIT_SERVICE  # not canceled: the service refused, or has not said so yet


def fetch_task(args: argparse.Namespace) -> int:
    from wan27_desktop.jobs.connection import resolve_connection

    connection = resolve_connection(parse_region(args.region), args.api_base)
    with open_library() as library:
        runner = _runner(library, args)
        try:
            held = library.jobs.job_of_task(args.task_id)
            job_id = runner.adopt(args.task_id, connection)
            if held is not None:
                err(f"Task {args.task_id} is already job {job_id} in this library.")
            runner.resume(job_id)
        finally:
            runner.close()
        return _report(library, [job_id])


def _lost_note(jobs: tuple[int, ...]) -> str:
    """For a task not here: the jobs whose answer was lost when it was made (fetch goes into one)."""
    if len(jobs) == 1:
        return f" (made when job {jobs[0]}'s answer was lost: fetch carries it on in that job)"
    if jobs:
        return f" (made when the answers of jobs {', '.join(map(str, jobs))} were lost: it could be any one's)"
    return ""


def remote_tasks(args: argparse.Namespace) -> int:
    from wan27_desktop.jobs.connection import resolve_connection
    from wan27_desktop.jobs.remote import STATUSES, list_remote_tasks

    since = parse_duration(args.since)
    status = args.status.strip().upper() if args.status else None
    if status is not None and status not in STATUSES:
        raise CliError(f"Unknown status '{args.status}': use one of {', '.join(STATUSES)}.")
    connection = resolve_connection(parse_region(args.region), args.api_base)
    with open_library() as library:
        tasks = list_remote_tasks(connection, library, since=since, status=status)
    if not tasks:
        out(f"No Wan 2.7 tasks at the service in the last {args.since}.")
        return EXIT_OK
    missing = 0
    for task in tasks:
        when = task.summary.submitted.astimezone().strftime("%Y-%m-%d %H:%M:%S") if task.summary.submitted else "-"
        here = f"job {task.job_id}" if task.job_id is not None else "not here" + _lost_note(task.lost_jobs)
        missing += task.job_id is None
        summary = task.summary
        out(f"{summary.task_id}  {when}  {summary.status.value:<9} {summary.model_name or '-':<18} {here}")
    if missing:
        err(f"{missing} task(s) are not in this library: 'wan27 jobs fetch TASK_ID' saves their images.")
    return EXIT_OK


def parse_duration(text: str) -> timedelta:
    """'90s', '30m', '6h', '1d' (or a bare number of hours)."""
    value = text.strip().lower()
    units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    number, unit = (value[:-1], value[-1]) if value and value[-1] in units else (value, "h")
    try:
        amount = float(number)
    except ValueError:
        raise CliError(f"'{text}' is not a duration: use e.g. 30m, 6h or 24h.") from None
    if not 0 < amount < 1e6:
        raise CliError(f"'{text}' is not a duration: use e.g. 30m, 6h or 24h.")
    return timedelta(**{units[unit]: amount})


def _prompt_of(request_json: dict) -> str:
    try:
        content = request_json["input"]["messages"][0]["content"]
        return next(item["text"] for item in content if "text" in item).replace("\n", " ")
    except (KeyError, IndexError, StopIteration, TypeError):
        return ""
