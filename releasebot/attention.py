"""Tasks that need a person: failed ones (with what to fix) and those whose chat named no release (with the
pairs it holds that the rules did not count, and why)."""

from __future__ import annotations

from releasebot.candidates import stored_candidates
from releasebot.model import TaskResult

OUTCOMES = ("failed", "not_found")
NOT_FOUND_ACTION = ("the chat names no release in words the rules know: see what they make of it with "
                    "releasebot rules test --task {id}, then add a message or a rule")
CANDIDATES_ACTION = ("the chat holds the pairs below, which the rules did not count: if one is the release, "
                     "releasebot rules suggest proposes the edit that reads it, and releasebot rules redo "
                     "reads these tasks again")


def what_to_do(result: TaskResult) -> str:
    """The action that fixes the task's result (the command that then redoes it is the entry's `redo`)."""
    if result.outcome == "failed" and result.error is not None:
        return result.error.action or f"fix {result.error.code}: {result.error.message}"
    if stored_candidates(result.extra):
        return CANDIDATES_ACTION
    return NOT_FOUND_ACTION.format(id=result.task_id)


def attention_entry(result: TaskResult, url: str | None) -> dict:
    """One task needing attention, as GET /api/tasks?outcome= answers it."""
    info = result.task
    entry = {"taskId": result.task_id, "outcome": result.outcome, "processedAt": result.processed_at,
             "title": info.title if info else "", "url": url, "action": what_to_do(result),
             "redo": f"releasebot process {result.task_id}"}
    if result.outcome == "not_found":
        entry["candidates"] = [candidate.to_json() for candidate in stored_candidates(result.extra)]
    if result.error is not None:
        entry["error"] = {"code": result.error.code, "message": result.error.message, "status": result.error.status}
    return entry
