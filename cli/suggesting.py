"""`releasebot rules suggest` and `releasebot rules redo`: what they print, what they write, what they queue."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from releasebot.candidates import GUARD, NO_RULE, NOT_COMPONENT, stored_candidates
from releasebot.errors import ConfigError
from releasebot.model import TaskResult
from releasebot.rules import Rules, RulesError, parse_rules, read
from releasebot.suggest import Proposal, Suggestions, combined, negative_examples, suggest

SHIPPED_RULES = Path(__file__).resolve().parents[1] / "rules.yaml"
MAX_EXAMPLES_SHOWN = 3
REDO_KINDS = (NO_RULE, GUARD, NOT_COMPONENT)  # what an edit of the rules can change; a quote or rollback not


def shipped_negatives(rules: Rules) -> list[tuple[int, str]]:
    """The negative examples of the rules the project ships (those of `rules` when it is not installed here)."""
    try:
        shipped = parse_rules(SHIPPED_RULES.read_text(encoding="utf-8"), str(SHIPPED_RULES), examples=False)
    except (OSError, RulesError):
        shipped = rules
    return negative_examples(shipped)


def suggestions(text: str, path: str, rules: Rules, results: list[TaskResult]) -> Suggestions:
    """The proposals over the stored results."""
    return suggest(text, path, rules, results, shipped_negatives(rules))


def report(found: Suggestions, total: int) -> str:
    """Every proposal with its examples, counts and diff; then what no edit answers."""
    lines = [f"{found.tasks} of the {total} stored not_found tasks hold pairs the rules did not count"]
    for number, proposal in enumerate(found.proposals, 1):
        lines += ["", *_proposal_lines(number, proposal)]
    if found.unanswered:
        lines += ["", "no edit proposed for:"]
        lines += [f"  task {miss.task_id}: {miss.candidate.component} {miss.candidate.version}: {why}"
                  for miss, why in found.unanswered]
    return "\n".join(lines)


def _proposal_lines(number: int, proposal: Proposal) -> list[str]:
    tasks = sorted({miss.task_id for miss in proposal.misses})
    lines = [f"{number}. {proposal.title}",
             f"   for {len(proposal.misses)} pair(s) in task(s) {_ids(tasks)}: {proposal.reason}"]
    for miss in proposal.misses[:MAX_EXAMPLES_SHOWN]:
        c = miss.candidate
        marked = f"{c.clause[:c.start]}[{c.pair}]{c.clause[c.end:]}"
        lines.append(f"     task {miss.task_id}, message #{c.message_id}: {marked}")
    if proposal.refused:
        return [*lines, "   refused: " + proposal.refused.replace("\n", "\n   ")]
    changed = "; ".join(f"task {task}: {what}" for task, what in proposal.changed) or "none"
    lines += [f"   over the stored results: {len(proposal.found)} not_found task(s) found ({_ids(proposal.found)}); "
              f"found tasks whose result changes: {changed}"]
    if proposal.guard:
        lines.append(f"   changes guard `{proposal.guard}`: applied only when picked (--write --pick {number})")
    return [*lines, *("   " + line for line in proposal.diff.rstrip("\n").split("\n"))]


def _ids(ids: Iterable[int]) -> str:
    return ", ".join(str(i) for i in ids) or "none"


def chosen(found: Suggestions, picks: tuple[int, ...]) -> list[Proposal]:
    """The proposals `--write` applies: those picked by number, else every one that touches no guard; never
    a refused one."""
    usable = [(n, p) for n, p in enumerate(found.proposals, 1) if not p.refused]
    if picks:
        unknown = sorted(set(picks) - {n for n, _ in usable})
        if unknown:
            raise ConfigError(f"--pick {', '.join(map(str, unknown))}: no such proposal, or a refused one")
        return [p for n, p in usable if n in picks]
    return [p for _, p in usable if not p.guard]


def write(path: str, text: str, proposals: list[Proposal]) -> str:
    """Apply the proposals to the file, only if the result passes `rules check`; the new text."""
    new = combined(text, path, proposals)
    Path(path).write_text(new, encoding="utf-8")
    return new


def affected(rules: Rules, results: Iterable[TaskResult]) -> list[int]:
    """The not_found tasks read with other rules whose kept pairs these rules now read: the tasks to redo."""
    ids = []
    for result in results:
        if result.outcome != "not_found" or result.rules_sha == rules.sha256:
            continue
        kept = [c for c in stored_candidates(result.extra) if c.kind in REDO_KINDS]
        if any((m.component, m.version) == (c.component, c.version)
               for c in kept for m in read(rules, c.clause).matches):
            ids.append(result.task_id)
    return ids
