"""`wan27 jobs list|show|resume|retry`: the journal from a terminal."""

from __future__ import annotations

import argparse
import json

from wan27_desktop.api.constants import POLL_INTERVAL_S
from wan27_desktop.cli.common import EXIT_OK, CliError, endpoint_arg, err, open_library, out, parse_ids
from wan27_desktop.cli.generate import parse_region


def register(commands: argparse._SubParsersAction) -> None:
    p = commands.add_parser("jobs", help="list, inspect, resume or retry journaled jobs")
    sub = p.add_subparsers(dest="jobs_action", metavar="ACTION")
    sub.required = True
    ls = sub.add_parser("list", help="recent jobs, newest first")
    ls.add_argument("--limit", type=int, default=30)
    ls.set_defaults(handler=list_jobs)
    show = sub.add_parser("show", help="everything known about one job")
    show.add_argument("job_id")
    show.set_defaults(handler=show_job)
    for name, handler, text in (
        ("resume", resume_jobs, "carry on unfinished jobs (never resubmits)"),
        ("retry", retry_job, "run a job's request again as a new job (billed again)"),
    ):
        cmd = sub.add_parser(name, help=text)
        if name == "retry":
            cmd.add_argument("job_id")
        cmd.add_argument("--region", default="sg", help="region of the key to use (sg or cn)")
        cmd.add_argument("--api-base", type=endpoint_arg, help="custom endpoint ending in /api/v1")
        cmd.add_argument("--poll-interval", type=float, default=None, help=argparse.SUPPRESS)
        cmd.set_defaults(handler=handler)


def list_jobs(args: argparse.Namespace) -> int:
    with open_library() as library:
        jobs = library.jobs.find(limit=args.limit)
        if not jobs:
            out('No jobs yet. Try: wan27 generate "a red fox in snow"')
        for job in jobs:
            prompt = _prompt_of(job.request_json)
            out(
                f"{job.id:>6}  {job.created_at[:19]}  {job.state.value:<15} {job.model:<18} "
                f"{job.request_mode:<5} {prompt[:60]}"
            )
    return EXIT_OK


def show_job(args: argparse.Namespace) -> int:
    (job_id,) = parse_ids([args.job_id])
    with open_library() as library:
        job = library.jobs.get(job_id)
        out(f"Job {job.id}: {job.state.value}")
        out(f"  prompt:     {_prompt_of(job.request_json)}")
        out(f"  model:      {job.model}   mode: {job.request_mode}   region: {job.region}")
        out(f"  created:    {job.created_at}   finished: {job.finished_at or '-'}")
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


def _runner(library, args: argparse.Namespace):
    from wan27_desktop.jobs.connection import resolve_connection
    from wan27_desktop.jobs.runner import JobEvent, JobRunner

    def on_event(event: JobEvent) -> None:
        suffix = f" - {event.error.message}" if event.error else ""
        err(f"job {event.job_id}: {event.state.value}{suffix}")

    interval = (args.poll_interval, args.poll_interval) if args.poll_interval else POLL_INTERVAL_S
    connection = resolve_connection(parse_region(args.region), args.api_base)
    return JobRunner(library, connection, on_event=on_event, poll_interval=interval)


def resume_jobs(args: argparse.Namespace) -> int:
    with open_library() as library:
        unfinished = library.jobs.unfinished()
        if not unfinished:
            out("Nothing to resume: every job is finished.")
            return EXIT_OK
        for job_id, owner in sorted(library.jobs.leased().items()):
            out(f"job {job_id}: running in another window or command ({owner}); left to it")
        runner = _runner(library, args)
        try:
            for job_id in runner.resume_all():
                job = library.jobs.get(job_id)
                out(f"job {job_id}: {job.state.value}")
                for image in library.images.of_job(job_id):
                    out(str(image.path))
        finally:
            runner.close()
    return EXIT_OK


def retry_job(args: argparse.Namespace) -> int:
    (job_id,) = parse_ids([args.job_id])
    with open_library() as library:
        runner = _runner(library, args)
        try:
            new_id = runner.retry(job_id)
            job = runner.run(new_id)
        finally:
            runner.close()
        out(f"job {new_id} (retry of {job_id}): {job.state.value}")
        for image in library.images.of_job(new_id):
            out(str(image.path))
        if job.state.value not in ("done", "partially_done"):
            raise CliError(f"The retry ended as {job.state.value}: {job.error_message or ''}")
    return EXIT_OK


def _prompt_of(request_json: dict) -> str:
    try:
        content = request_json["input"]["messages"][0]["content"]
        return next(item["text"] for item in content if "text" in item).replace("\n", " ")
    except (KeyError, IndexError, StopIteration, TypeError):
        return ""
