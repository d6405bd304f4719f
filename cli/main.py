"""The `releasebot` command (click, as Flask's own CLI): rules tools, one-off processing, backfill, the
simulator and the demo. `main` is the console script; `cli` is the click group, for click's CliRunner."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime

import click

from releasebot import __version__
from releasebot.errors import ConfigError, ReleasebotError
from releasebot.settings import Settings, load_dotenv_file

CLI_CONNECT_RETRIES = 2
OK, NOTHING_FOUND, FAILED, INTERRUPTED = 0, 1, 1, 130
# `\b` keeps click from rewrapping the paragraph after it.
EXIT_CODES = """\
\b
Exit codes:
  0  a release was found, or the command did what it was asked
  1  nothing was found, or a problem to fix: one line on stderr says what
  2  a wrong command line: an unknown command or option, a bad value

Settings come from the environment, and from a .env file in the current folder (REDIS_URL, DATABASE_URL,
VIBE_API_KEY, VIBE_BASE_URL, RULES_FILE, ...): the README's Configuration section lists them."""
SIM_EPILOG = """\
The API is served under http://HOST:PORT/v1: set VIBE_BASE_URL to it; the demo key is vibe_api_demo.
A control API under http://HOST:PORT/_sim/, without a key, steers the portal while it runs:

\b
  POST /_sim/tasks/ID  create or change a task (fields, messages, members);
                       with --events-url the bot then gets ONTASKUPDATE, as
                       when someone clicks Complete in a portal
  GET /_sim/tasks/ID   a task with its chat and comments
  GET /_sim/events     the events sent, and the bot's answers
  GET /_sim/requests   every API call answered
  POST /_sim/faults    rate limits, 5xx, slow answers, while it runs

\b
  curl -X POST http://127.0.0.1:8765/_sim/tasks/57 \\
       -H 'Content-Type: application/json' \\
       -d '{"status": 5, "messages": [{"text": "deployed in im 24.600.0"}]}'

The README's "The simulator" section lists them all."""


class Failure(click.ClickException):
    """An error the user must fix: `releasebot: what to do` on stderr, no traceback, exit 1."""

    exit_code = FAILED

    def show(self, file=None) -> None:
        """One line (more only when the message has several, like a rules file's problems)."""
        click.echo(f"releasebot: {self.format_message()}", err=True)


class ReleasebotGroup(click.Group):
    """The top group: a command's return value is the exit code; releasebot's own errors become a Failure."""

    def invoke(self, ctx: click.Context):
        try:
            code = super().invoke(ctx)
        except ReleasebotError as error:
            raise Failure(str(error)) from None
        except KeyboardInterrupt:
            code = INTERRUPTED
        except BrokenPipeError:  # the reader (`| head`) stopped reading: not an error of ours
            sys.stderr.close()
            code = OK
        ctx.exit(code or OK)


class IsoDate(click.ParamType):
    """YYYY-MM-DD or ISO 8601, as ISO 8601 with the offset (local time when the text has none)."""

    name = "DATE"

    def convert(self, value, param, ctx) -> str:
        try:
            parsed = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(f"not a date: {value!r} (use YYYY-MM-DD or ISO 8601)", param, ctx)
        if parsed.tzinfo is None:
            parsed = _local(parsed)
        return parsed.isoformat(timespec="seconds")


def _local(moment: datetime) -> datetime:
    """A date without an offset in local time; at the ends of the calendar (0001-01-01), where the system's
    clock cannot say the local offset, in UTC: a day's difference there changes no backfill."""
    try:
        return moment.astimezone()
    except (ValueError, OverflowError):
        return moment.replace(tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script: runs the command line `argv` (default: sys.argv) and
    answers its exit code."""
    load_dotenv_file()
    try:
        _log_warnings()
        cli.main(args=argv, prog_name="releasebot")
    except ReleasebotError as error:  # a wrong LOG_FORMAT, met before any command runs
        Failure(str(error)).show()
        return FAILED
    except SystemExit as done:  # click ends every command line this way
        return int(done.code or OK)
    return OK


@click.group(cls=ReleasebotGroup, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="releasebot", message="%(prog)s %(version)s",
                      help="Print the installed version and exit.")
def cli() -> None:
    """Which release shipped a Bitrix24 task, read from the task's chat: the tools around the bot."""


@cli.group(short_help="Check the rules file, or try it on texts or a task's chat.")
def rules() -> None:
    """Check the rules file, or try it on a text, a file of texts or a task's chat."""


@rules.command("check")
@click.argument("file", required=False)
def rules_check(file: str | None) -> int:
    """Validate the rules and run every rule's examples.

    FILE is the rules file (default: $RULES_FILE, or rules.yaml). Prints a one-line summary, with warnings
    for what is legal but likely a mistake; or exits 1 with every problem as FILE:LINE: message on stderr.
    A deploy's release phase runs it, so a bad rules file never ships.
    """
    from cli.reports import check_report

    code, text = check_report(file or _default_rules_file())
    click.echo(text, err=code != OK)
    return code


@rules.command("test", short_help="Show what the rules extract, from which rule, and why.")
@click.argument("file", required=False)
@click.option("--text", help="A message text to try.")
@click.option("--task", type=click.IntRange(min=1), metavar="ID",
              help="A task id: read its chat through the API (VIBE_API_KEY, VIBE_BASE_URL; Redis for the "
                   "request budget) and explain every message.")
@click.option("--jsonl", metavar="FILE", help='One {"text": …} a line (- for stdin); prints one JSON result a '
              "line, in order.")
@click.option("--json", "as_json", is_flag=True, help="With --text: print the result as JSON.")
@click.option("--explain", is_flag=True, help="First show each pattern with its fragments expanded, and each "
              "guard's cues; after the result, every pair the rules did not count, and why.")
def rules_test(file: str | None, text: str | None, task: int | None, jsonl: str | None, as_json: bool,
               explain: bool) -> int:
    """Show what the rules extract, from which rule, and why a pair was skipped.

    FILE is the rules file (default: $RULES_FILE, or rules.yaml). Give exactly one of --text, --task or
    --jsonl. A file whose examples fail is still tried, with a warning on stderr, so that the failing rule
    can be debugged. With --text or --task: exit 0 when a release is found, 1 when nothing is.

    \b
      releasebot rules test --text "deployed in im 24.500.0"
      releasebot rules test --jsonl export.jsonl > results.jsonl
      releasebot rules test --task 53
    """
    from cli import reports
    from releasebot.model import Message

    _one_source(text=text, task=task, jsonl=jsonl)
    rules = _rules_for_testing(file or _default_rules_file())
    if explain:
        click.echo(reports.explain_report(rules))
    if jsonl is not None:
        return _rules_test_jsonl(rules, jsonl)
    if task is not None:
        return _rules_test_task(rules, task, explain)
    if as_json:
        result = reports.json_result(rules, text)
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return OK if result["releases"] else NOTHING_FOUND
    code, report = reports.text_report(rules, text)
    click.echo(report)
    if explain:
        click.echo(reports.misses_report(rules, [Message(id=0, author_id=0, text=text, created_at="")]))
    return code


@rules.command("suggest", short_help="Propose rules.yaml edits that read the misses the stored results keep.")
@click.argument("file", required=False)
@click.option("--write", is_flag=True, help="Apply the proposals (those that touch no guard, or those picked), "
              "only if the changed file passes `rules check`.")
@click.option("--pick", type=click.IntRange(min=1), multiple=True, metavar="N",
              help="With --write: apply only proposal N (repeat for more); a guard's change is applied only so.")
def rules_suggest(file: str | None, write: bool, pick: tuple[int, ...]) -> int:
    """Propose the smallest edits of the rules that read what the bot missed.

    Reads the pairs that the stored not_found results keep (with why each was not counted), groups them by
    reason and by the word beside the pair, and prints one proposal per group: a unified diff of FILE
    (default: $RULES_FILE, or rules.yaml), an example from the real message, and how many stored tasks it
    would find and which found tasks' results it would change. Writes nothing unless --write. Then
    `releasebot rules redo` reads the tasks it finds again.
    """
    from cli import suggesting
    from releasebot.rules.load import read_rules_file

    path = file or _default_rules_file()
    rules = _load_rules(path)
    text = read_rules_file(path).decode("utf-8")
    store = _store(Settings.from_env(os.environ))
    not_found = store.newest("not_found")
    found = suggesting.suggestions(text, path, rules, [*not_found, *store.newest("found")])
    click.echo(suggesting.report(found, len(not_found)))
    if not write:
        click.echo("\nnothing written: --write applies the proposals above that touch no guard (--pick N chooses)")
        return OK
    proposals = suggesting.chosen(found, pick)
    if not proposals:
        click.echo("\nnothing to write: no usable proposal")
        return NOTHING_FOUND
    suggesting.write(path, text, proposals)
    click.echo(f"\n{path}: {len(proposals)} change(s) written; the file passes `rules check`. The workers load it "
               "within a minute; then `releasebot rules redo` reads the tasks it finds again.")
    return OK


@rules.command("redo", short_help="Queue the not_found tasks the rules in force now read, once each.")
@click.option("--wait", is_flag=True, help="Show the workers' progress until they are done, then the outcomes.")
@click.option("--dry-run", is_flag=True, help="List the tasks; queue nothing.")
def rules_redo(wait: bool, dry_run: bool) -> int:
    """Queue, through the workers' job, the not_found tasks that the rules file ($RULES_FILE) now reads.

    A task qualifies when its result was read with other rules and a pair its result keeps is read by these
    rules. Each is queued once (a task's job is unique); its result, read with these rules, no longer
    qualifies, so running the command again queues nothing. The job posts one comment per task, as always.
    """
    from rq import Queue

    from cli import backfill as backfilling
    from cli import suggesting
    from infra.queueing import TaskEnqueuer, enqueue_task
    from worker.jobs import process_task

    settings = Settings.from_env(os.environ)
    rules = _load_rules(settings.rules_file)
    queue = Queue(settings.queue_name, connection=_redis(settings))
    store = _store(settings)
    ids = suggesting.affected(rules, store.newest("not_found"))
    if dry_run or not ids:
        listed = f": {', '.join(map(str, ids))}" if ids else ""
        click.echo(f"{len(ids)} not_found task(s) the rules now read{listed}")
        return OK
    enqueuer = TaskEnqueuer(queue, process_task)
    queued = [task_id for task_id in ids if enqueue_task(enqueuer, task_id, source="redo")[0]]
    click.echo(f"{len(ids)} not_found task(s) the rules now read: {len(queued)} queued, "
               f"{len(ids) - len(queued)} already queued ({', '.join(map(str, ids))})")
    if wait:
        backfilling.wait_for(queue, ids)
        click.echo(backfilling.outcomes_line(store, ids))
    return OK


@cli.command(short_help="Run one task's job in the foreground; print the result JSON.")
@click.argument("task_id", type=click.IntRange(min=1))
@click.option("--dry-run", is_flag=True,
              help="Write nothing to the portal or to the database; the result shows what a real run would do: "
                   "the comment it would post (wouldPost), or the comment already there (commentId).")
def process(task_id: int, dry_run: bool) -> int:
    """Run the whole job for one task in the foreground and print the result JSON.

    TASK_ID is the Bitrix24 task id. As a worker would: reads the task and its chat, posts the comment and
    tags, and stores the result in the database. Exit 0 when a release was found; 1 otherwise (the JSON's outcome,
    and error when there is one, say why).
    """
    from releasebot.links import Links
    from worker.post_intents import PostIntents
    from worker.process import JobContext, handle_task

    settings = Settings.from_env(os.environ)
    connection = _redis(settings)
    store = _store(settings)  # a dry run reads the stored result, as a real run would, and writes none
    links = Links.configured(settings, store.portal())
    rules = _load_rules(settings.rules_file)
    with _api(connection) as api:
        result = handle_task(task_id, JobContext(api, rules, store, links, dry_run=dry_run,
                                                 intents=PostIntents(connection)))
    click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    return OK if result.outcome == "found" else NOTHING_FOUND


@cli.command(short_help="Queue the tasks closed in a date range, with progress.")
@click.option("--since", required=True, type=IsoDate(), help="First closing date: YYYY-MM-DD or ISO 8601.")
@click.option("--until", type=IsoDate(), help="Last closing date: YYYY-MM-DD or ISO 8601 (default: now).")
@click.option("--index-only", is_flag=True,
              help="Record results and the release index; post no comment and write no tag.")
@click.option("--wait", is_flag=True, help="Show the workers' progress until they are done, then the outcomes.")
def backfill(since: str, until: str | None, index_only: bool, wait: bool) -> int:
    """Queue every task closed in a date range that has no final result yet.

    The workers do the jobs. Progress goes to stderr, the summary to stdout. A date without a time zone is
    local time.
    """
    from rq import Queue

    from cli import backfill as backfilling

    settings = Settings.from_env(os.environ)
    until = until or datetime.now().astimezone().isoformat(timespec="seconds")
    backfilling.check_range(since, until)
    queue = Queue(settings.queue_name, connection=_redis(settings))
    store = _store(settings)
    rules = _load_rules(settings.rules_file)
    with _api(queue.connection) as api:
        counts = backfilling.queue_range(api, queue, store, rules.trigger_statuses, since, until, index_only)
    click.echo(backfilling.summary(counts, since, until))
    if wait and counts["waiting"]:
        backfilling.wait_for(queue, counts["waiting"])
        click.echo(backfilling.outcomes_line(store, counts["waiting"]))
    return OK


@cli.group(short_help="The record's database: apply migrations, import a Redis index.")
def db() -> None:
    """The database of the record (DATABASE_URL; default: a SQLite file, releasebot.db, here)."""


@db.command("upgrade")
def db_upgrade() -> int:
    """Apply every migration the database lacks (the Procfile's release phase runs this first)."""
    from store import open_engine, upgrade
    from store.database import shown

    settings = Settings.from_env(os.environ)
    before, now = upgrade(open_engine(settings.database_url))
    what = f"upgraded from {before or 'empty'} to {now}" if before != now else f"already at {now}"
    click.echo(f"database {shown(settings.database_url)}: {what}")
    return OK


@db.command("import-redis")
@click.option("--redis-url", metavar="URL", help="The Redis holding the old index (default: REDIS_URL).")
def db_import_redis(redis_url: str | None) -> int:
    """Copy the results and release index that releasebot kept in Redis into the database, with progress.

    Safe to run again, or while workers run: a result is copied unless the database holds a newer one.
    """
    from store import redis_import

    settings = Settings.from_env(os.environ)
    source = _redis(settings if not redis_url else Settings.from_env({**os.environ, "REDIS_URL": redis_url}))
    store = _store(settings)

    def progress(done: int, total: int) -> None:
        if done == total or done % (redis_import.BATCH * 20) == 0:
            click.echo(f"import: {done}/{total} results", err=True)

    click.echo(redis_import.summary(redis_import.import_redis(source, store, progress)))
    return OK


@cli.group(short_help="List or re-run the jobs that failed (RQ's failed job registry).")
def jobs() -> None:
    """List or re-run the jobs that failed, through the same Redis client as the workers (REDIS_URL, with
    rediss:// as on Heroku): works the same here and in `heroku run releasebot jobs failed`."""


@jobs.command("failed")
def jobs_failed() -> int:
    """List each failed job: its id, when it failed, and the last line of its error; then the count."""
    registry = _failed_jobs()
    ids = registry.get_job_ids()
    from rq.job import Job

    for job_id, job in zip(ids, Job.fetch_many(ids, connection=registry.connection), strict=True):
        click.echo(_failed_line(job_id, job))
    click.echo(f"{len(ids)} failed job(s)" + (": releasebot jobs requeue --all re-runs them" if ids else ""))
    return OK


@jobs.command("requeue")
@click.argument("job_ids", nargs=-1, metavar="[JOB_ID]...")
@click.option("--all", "every", is_flag=True, help="Every failed job.")
def jobs_requeue(job_ids: tuple[str, ...], every: bool) -> int:
    """Put failed jobs back on the queue (JOB_ID as `jobs failed` lists it, e.g. task-53); the workers run
    them again."""
    if bool(job_ids) == every:
        raise click.UsageError("give the job ids to requeue, or --all")
    registry = _failed_jobs()
    wanted = registry.get_job_ids() if every else list(job_ids)
    for job_id in wanted:
        try:
            registry.requeue(job_id)
        except Exception as error:  # rq's InvalidJobOperation / NoSuchJobError: not in the failed registry
            raise ConfigError(f"{job_id} is not a failed job ({error}): `releasebot jobs failed` lists them") \
                from None
    click.echo(f"{len(wanted)} job(s) requeued")
    return OK


def _failed_jobs():
    from rq.registry import FailedJobRegistry

    settings = Settings.from_env(os.environ)
    return FailedJobRegistry(settings.queue_name, connection=_redis(settings))


def _failed_line(job_id: str, job) -> str:
    """`task-53  2026-06-10 14:51:03  TransientError: …`: the error's last line, at most 160 characters."""
    if job is None:
        return f"{job_id}  (its data expired)"
    result = job.latest_result()
    error = (result.exc_string or "").strip().splitlines() if result and result.exc_string else []
    ended = job.ended_at.strftime("%Y-%m-%d %H:%M:%S") if job.ended_at else "?"
    return f"{job_id}  {ended}  {(error[-1] if error else '')[:160]}"


@cli.command(epilog=SIM_EPILOG, short_help="Run the VibeCode portal simulator (point VIBE_BASE_URL at it).")
@click.option("--host", default="127.0.0.1", metavar="HOST", show_default=True,
              help="Address to listen on; 0.0.0.0 to reach it from other hosts.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, metavar="PORT", show_default=True,
              help="Port to listen on; 0 for any free port (it prints the one it got).")
@click.option("--scenario", metavar="FILE",
              help="Scenario YAML/JSON: the portal's tasks, chats and users (default: the built-in demo portal).")
@click.option("--events-url", metavar="URL", default="",
              help="Post ONTASKUPDATE to this handler URL whenever a task changes, e.g. "
                   "http://127.0.0.1:5000/bitrix/events.")
@click.option("--events-token", metavar="TOKEN",
              help="auth[application_token] of those events (default: the first of $BITRIX_APP_TOKEN).")
@click.option("--rate-limit", metavar="BURST/RATE", help="A leaky bucket, e.g. 50/2 (a burst of 50, then 2 a "
              "second); 429 with Retry-After over it.")
@click.option("--fail-rate", type=float, metavar="FRACTION", default=0.0,
              help="Fraction of calls answered with 5xx or 429.")
@click.option("--slow-rate", type=float, metavar="FRACTION", default=0.0, help="Fraction of calls answered slowly.")
@click.option("--slow-seconds", type=float, metavar="SECONDS", help="How slow a slow answer is (default 2).")
@click.option("--legacy", is_flag=True, help="An old portal: chat pages of 50 messages at most.")
@click.option("--seed", type=int, metavar="N", help="Seed for the fault dice, for repeatable runs.")
def sim(host: str, port: int, scenario: str | None, events_url: str, events_token: str | None,
        **faults) -> int:
    """Run the VibeCode portal simulator in the foreground, until Ctrl-C.

    It answers every API call the bot makes, as the VibeCode API documents them, and logs each to stdout.
    """
    from sim.server import serve

    _log_to_stdout()
    if events_token is None:
        events_token = next(iter(Settings.from_env(os.environ).bitrix_app_tokens), "")
    if events_url and not events_token:
        raise ConfigError("--events-url needs the application token the bot expects: pass --events-token "
                          "or set BITRIX_APP_TOKEN")
    serve(host=host, port=port, scenario_path=scenario, events_url=events_url, events_token=events_token,
          **faults)
    return OK


@cli.command(short_help="The whole system here against the simulator (make run).")
@click.option("--task", type=click.IntRange(min=1), default=53, show_default=True, metavar="ID",
              help="The task to send an event for; the demo portal also has 54 open, 55 without a chat and "
                   "56 without a release.")
def demo(task: int) -> int:
    """Run the whole system here against the simulator, ending in the posted comment.

    Starts Redis (an embedded one without redis-server), the simulator, web and a worker; sends one
    ONTASKUPDATE; prints the comment; stops them all. This is what `make run` runs. Exit 0 when a release
    was found and posted, 1 otherwise.
    """
    from cli.demo import run

    return run(task_id=task)


def _one_source(**sources) -> None:
    """`rules test` reads exactly one of --text, --task and --jsonl."""
    given = [f"--{name}" for name, value in sources.items() if value is not None]
    if len(given) != 1:
        told = f" (not {' and '.join(given)})" if given else ""
        raise click.UsageError(f"give exactly one of --text, --task or --jsonl{told}")


def _rules_test_jsonl(rules, source: str) -> int:
    from cli import reports

    try:
        handle = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as error:
        raise ConfigError(f"cannot read {source}: {error.strerror or error}") from None
    with handle:
        for line in reports.jsonl_report(rules, handle):
            click.echo(line)
    return OK


def _rules_test_task(rules, task_id: int, explain: bool = False) -> int:
    """Read the task's chat live and explain every message; 0 when a release is found, 1 when nothing is."""
    from cli.reports import messages_report, misses_report
    from releasebot.extract import ReleaseScan
    from worker.vibecode.chat import RecordingScan, read_chat
    from worker.vibecode.errors import ChatNotFound

    scan = RecordingScan(ReleaseScan(rules))
    with _api(_redis(Settings.from_env(os.environ))) as api:
        try:
            read_chat(api, task_id, scan)
        except ChatNotFound:
            raise _why_no_chat(api, task_id) from None
    click.echo(messages_report(rules, scan.messages))
    if explain:
        click.echo(misses_report(rules, scan.messages))
    return OK if scan.scan.releases else NOTHING_FOUND


def _why_no_chat(api, task_id: int) -> ReleasebotError:
    """The portal answers 404 TASK_CHAT_NOT_FOUND for a task without a chat and for no task at all:
    reading the task tells the two apart."""
    from worker.vibecode.errors import NotFound

    try:
        api.get_task(task_id)
    except NotFound as error:
        return ReleasebotError(f"task {task_id} does not exist on the portal (404 {error.code}): check the id")
    return ReleasebotError(f"task {task_id} has no chat yet (Bitrix24 creates it with the first message): "
                           "nothing to read")


def _default_rules_file() -> str:
    return Settings.from_env(os.environ).rules_file


def _log_warnings() -> None:
    """Warnings (urllib3 retrying an unreachable API, say) on stderr, so that a long wait is never silent."""
    import logging.config

    from releasebot.logs import logging_config

    logging.config.dictConfig(logging_config(os.environ, level="WARNING", stream="stderr"))


def _log_to_stdout() -> None:
    """The simulator, a long-running process, logs like the others: every request, to stdout."""
    import logging.config

    from releasebot.logs import logging_config

    logging.config.dictConfig(logging_config(os.environ))


def _load_rules(path: str):
    from cli.reports import load_rules_file

    return load_rules_file(path)


def _rules_for_testing(path: str):
    """The rules `rules test` tries, even when their examples fail (it says so on stderr)."""
    from cli.reports import rules_for_testing

    rules, warning = rules_for_testing(path)
    if warning:
        click.echo(warning, err=True)
    return rules


def _redis(settings: Settings):
    """A Redis that answers: the portal's request budget, shared with the workers, is kept there."""
    from redis.exceptions import RedisError

    from infra.connection import redis_from_url

    connection = redis_from_url(settings.redis_url)
    try:
        connection.ping()
    except RedisError as error:
        raise ConfigError(f"Redis at REDIS_URL does not answer ({error}): the request budget shared with the "
                          "workers is kept there; start Redis or set REDIS_URL") from None
    return connection


def _store(settings: Settings):
    """The record, its schema ready (a SQLite file migrates itself; PostgreSQL needs `releasebot db upgrade`)."""
    from store import ResultStore, open_database

    return ResultStore(open_database(settings.database_url))


def _api(connection):
    """The API client every command uses: its requests draw from the workers' shared budget."""
    from worker.vibecode import api_client
    from worker.vibecode.client import default_retry

    # A refused connection at the command line is a wrong VIBE_BASE_URL far more often than a portal
    # restarting: say so within a second or two instead of after half a minute of retries.
    retries = default_retry().new(connect=CLI_CONNECT_RETRIES)
    return api_client(Settings.from_env(os.environ).require("VIBE_API_KEY"), connection, retries=retries)
