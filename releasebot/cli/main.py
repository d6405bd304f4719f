"""The `releasebot` command: rules tools, one-off processing, backfill, the simulator and the demo.

Exit codes: 0 when a release was found (or the command has nothing to find and succeeded), 1 when nothing
was found or something failed (the message on stderr says what to do), 2 for a wrong command line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime

from releasebot import __version__
from releasebot.errors import ConfigError, ReleasebotError
from releasebot.settings import Settings, load_dotenv_file

CLI_CONNECT_RETRIES = 2


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    load_dotenv_file()
    args = build_parser().parse_args(argv)
    try:
        _log_warnings()
        return args.run(args) or 0
    except ReleasebotError as error:
        print(f"releasebot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader (`| head`) stopped reading: not an error of ours
        sys.stderr.close()
        return 0


def build_parser() -> argparse.ArgumentParser:
    """All subcommands and their options."""
    parser = argparse.ArgumentParser(prog="releasebot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_rules(commands)
    _add_process(commands)
    _add_backfill(commands)
    _add_sim(commands)
    demo = commands.add_parser("demo", help="run the whole system here against the simulator")
    demo.add_argument("--task", type=int, default=53,
                      help="the task to send an event for (default 53; the demo portal also has 54 open, "
                           "55 without a chat, 56 without a release)")
    demo.set_defaults(run=run_demo)
    return parser


def _default_rules_file() -> str:
    return Settings.from_env(os.environ).rules_file


def _add_rules(commands) -> None:
    rules = commands.add_parser("rules", help="check rules.yaml or try it on text").add_subparsers(
        dest="rules_command", required=True, metavar="ACTION"
    )
    check = rules.add_parser("check", help="validate the rules and run every rule's examples")
    check.add_argument("file", nargs="?", help="rules file (default: $RULES_FILE or rules.yaml)")
    check.set_defaults(run=run_rules_check)
    test = rules.add_parser("test", help="show what the rules extract, and by which rule")
    test.add_argument("file", nargs="?", help="rules file (default: $RULES_FILE or rules.yaml)")
    source = test.add_mutually_exclusive_group(required=True)
    source.add_argument("--text", help="a message text to try")
    source.add_argument("--task", type=int, help="a task id: read its chat through the API")
    source.add_argument("--jsonl", metavar="FILE", help='one {"text": …} a line (- for stdin); prints one JSON '
                        "result a line")
    test.add_argument("--json", action="store_true", help="with --text: print the result as JSON")
    test.add_argument("--explain", action="store_true", help="also show each pattern with its fragments expanded, "
                      "and the guards' cues")
    test.set_defaults(run=run_rules_test)


def _add_process(commands) -> None:
    process = commands.add_parser("process", help="run the whole job for one task and print the result JSON")
    process.add_argument("task_id", type=_positive_int, metavar="TASK_ID", help="the Bitrix24 task id")
    process.add_argument("--dry-run", action="store_true",
                         help="write nothing to the portal or to Redis; the result shows the comment it would post")
    process.set_defaults(run=run_process)


def _add_backfill(commands) -> None:
    backfill = commands.add_parser("backfill", help="queue every task closed in a date range")
    backfill.add_argument("--since", required=True, type=_iso_date, help="YYYY-MM-DD or ISO 8601")
    backfill.add_argument("--until", type=_iso_date, help="YYYY-MM-DD or ISO 8601 (default: now)")
    backfill.add_argument("--index-only", action="store_true",
                          help="record results and the release index, post no comment and write no tag")
    backfill.add_argument("--wait", action="store_true", help="show progress until the workers are done")
    backfill.set_defaults(run=run_backfill)


SIM_EPILOG = """\
The API is served under http://HOST:PORT/v1 (set VIBE_BASE_URL to it; the demo key is vibe_api_demo).
A control API without a key steers the portal:
  curl -X POST http://127.0.0.1:8765/_sim/tasks/57 -H 'Content-Type: application/json' \\
       -d '{"status": 5, "messages": [{"text": "deployed in im 24.600.0"}]}'
        create or change a task (fields, messages, members); with --events-url the simulator then
        posts ONTASKUPDATE to the bot, as a portal does when someone clicks Complete
  GET /_sim/tasks/ID   a task with its chat and comments     GET /_sim/events     events sent, and the answers
  GET /_sim/requests   every API call answered               POST /_sim/faults    rate limits, 5xx, slow answers
The README's "The simulator" section lists them all."""


def _add_sim(commands) -> None:
    sim = commands.add_parser("sim", help="run the VibeCode portal simulator", epilog=SIM_EPILOG,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    sim.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default 127.0.0.1; 0.0.0.0 to reach it from other hosts)")
    sim.add_argument("--port", type=int, default=8765, help="port to listen on (default 8765)")
    sim.add_argument("--scenario", help="scenario YAML/JSON (default: the built-in demo portal)")
    sim.add_argument("--events-url", metavar="URL", default="",
                     help="post ONTASKUPDATE to this handler URL whenever a task changes, e.g. "
                          "http://127.0.0.1:5000/bitrix/events")
    sim.add_argument("--events-token", metavar="TOKEN", default=None,
                     help="auth[application_token] of those events (default: the first of $BITRIX_APP_TOKEN)")
    sim.add_argument("--rate-limit", metavar="BURST/RATE", help="leaky bucket, e.g. 50/2 (burst 50, then 2/s)")
    sim.add_argument("--fail-rate", type=float, default=0.0, help="fraction of calls answered with 5xx/429")
    sim.add_argument("--slow-rate", type=float, default=0.0, help="fraction of calls answered slowly")
    sim.add_argument("--slow-seconds", type=float, help="how slow a slow answer is (default 2)")
    sim.add_argument("--legacy", action="store_true", help="legacy portal: chat pages capped at 50")
    sim.add_argument("--seed", type=int, help="seed for the fault dice")
    sim.set_defaults(run=run_sim)


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return int(text)


def _iso_date(text: str) -> str:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (use YYYY-MM-DD or ISO 8601)") from None
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()
    return parsed.isoformat(timespec="seconds")


def run_rules_check(args) -> int:
    """releasebot rules check [FILE]"""
    from releasebot.cli.reports import check_report

    code, text = check_report(args.file or _default_rules_file())
    print(text, file=sys.stdout if code == 0 else sys.stderr)
    return code


def run_rules_test(args) -> int:
    """releasebot rules test [FILE] --text TEXT [--json] | --task ID | --jsonl FILE [--explain]"""
    from releasebot.cli import reports as rules_report

    path = args.file or _default_rules_file()
    if args.explain:
        print(rules_report.explain_report(rules_report.rules_for_testing(path)[0]))
    if args.jsonl is not None:
        return _rules_test_jsonl(_rules_for_testing(path), args.jsonl)
    if args.text is not None and args.json:
        result = rules_report.json_result(_rules_for_testing(path), args.text)
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0 if result["releases"] else 1
    if args.text is not None:
        code, text = rules_report.text_report(path, args.text)
        print(text)
        return code
    from releasebot.extract import ReleaseScan
    from worker.vibecode.chat import RecordingScan, read_chat

    rules = _rules_for_testing(path)
    scan = RecordingScan(ReleaseScan(rules))
    with _api(_redis(Settings.from_env(os.environ))) as api:
        read_chat(api, args.task, scan)
    print(rules_report.messages_report(rules, scan.messages))
    return 0 if scan.scan.releases else 1  # as with --text: 0 when a release is found, 1 when nothing is


def _rules_test_jsonl(rules, source: str) -> int:
    from releasebot.cli import reports

    try:
        handle = sys.stdin if source == "-" else open(source, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as error:
        raise ConfigError(f"cannot read {source}: {error.strerror or error}") from None
    with handle:
        for line in reports.jsonl_report(rules, handle):
            print(line, flush=False)
    return 0


def run_process(args) -> int:
    """releasebot process TASK_ID [--dry-run]"""
    from releasebot.links import Links
    from worker.process import handle_task
    from worker.store import ResultStore

    settings = Settings.from_env(os.environ)
    connection = _redis(settings)
    links = Links.configured(settings, ResultStore(connection).portal())
    store = None if args.dry_run else ResultStore(connection)
    rules = _load_rules(settings.rules_file)
    with _api(connection) as api:
        result = handle_task(args.task_id, api=api, rules=rules, store=store, dry_run=args.dry_run, links=links)
    answer = result.to_json()
    if args.dry_run and result.releases:
        from releasebot.comment import render_comment

        answer["wouldPost"] = render_comment(rules.comment_template, result.releases, args.task_id,
                                             release_url=links.release_url)
    print(json.dumps(answer, indent=2, ensure_ascii=False))
    return 0 if result.outcome == "found" else 1


def run_backfill(args) -> int:
    """releasebot backfill --since DATE [--until DATE] [--index-only] [--wait]"""
    from rq import Queue

    from releasebot.cli import backfill
    from worker.store import ResultStore

    settings = Settings.from_env(os.environ)
    until = args.until or datetime.now().astimezone().isoformat(timespec="seconds")
    backfill.check_range(args.since, until)
    queue = Queue(settings.queue_name, connection=_redis(settings))
    store = ResultStore(queue.connection)
    rules = _load_rules(settings.rules_file)
    with _api(queue.connection) as api:
        counts = backfill.queue_range(api, queue, store, rules.trigger_statuses, args.since, until,
                                      args.index_only)
    print(backfill.summary(counts, args.since, until), flush=True)
    if args.wait and counts["waiting"]:
        backfill.wait_for(queue, counts["waiting"])
        print(backfill.outcomes_line(store, counts["waiting"]))
    return 0


def run_sim(args) -> int:
    """releasebot sim [--port N] [--scenario FILE]"""
    from releasebot.sim.server import serve

    _log_to_stdout()
    token = args.events_token
    if token is None:
        token = next(iter(Settings.from_env(os.environ).bitrix_app_tokens), "")
    if args.events_url and not token:
        raise ConfigError("--events-url needs the application token the bot expects: pass --events-token "
                          "or set BITRIX_APP_TOKEN")
    serve(host=args.host, port=args.port, scenario_path=args.scenario, events_url=args.events_url,
          events_token=token, rate_limit=args.rate_limit,
          fail_rate=args.fail_rate, slow_rate=args.slow_rate, slow_seconds=args.slow_seconds,
          legacy=args.legacy, seed=args.seed)
    return 0


def run_demo(args) -> int:
    """releasebot demo"""
    from releasebot.dev.demo import run

    return run(task_id=args.task)


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
    from releasebot.rules import load_rules

    return load_rules(path)


def _rules_for_testing(path: str):
    """The rules `rules test` tries, even when their examples fail (it says so on stderr)."""
    from releasebot.cli.reports import rules_for_testing

    rules, warning = rules_for_testing(path)
    if warning:
        print(warning, file=sys.stderr)
    return rules


def _redis(settings: Settings):
    """A Redis that answers: the portal's request budget, shared with the workers, is kept there."""
    from redis.exceptions import RedisError

    from worker.connection import redis_from_url

    connection = redis_from_url(settings.redis_url)
    try:
        connection.ping()
    except RedisError as error:
        raise ConfigError(f"Redis at REDIS_URL does not answer ({error}): the request budget shared with the "
                          "workers is kept there; start Redis or set REDIS_URL") from None
    return connection


def _api(connection):
    """The API client every command uses: its requests draw from the workers' shared budget."""
    from worker.vibecode import api_client
    from worker.vibecode.client import default_retry

    # A refused connection at the command line is a wrong VIBE_BASE_URL far more often than a portal
    # restarting: say so within a second or two instead of after half a minute of retries.
    retries = default_retry().new(connect=CLI_CONNECT_RETRIES)
    return api_client(Settings.from_env(os.environ).require("VIBE_API_KEY"), connection, retries=retries)

