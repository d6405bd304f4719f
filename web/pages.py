"""Pages for people: the release index, a component's versions, a version's tasks and notes, what needs attention."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import groupby

from flask import Blueprint, abort, redirect, render_template, request, url_for

from releasebot import notes
from releasebot.attention import OUTCOMES as ATTENTION_OUTCOMES
from web import queries
from worker.store import MAX_LISTED

bp = Blueprint("pages", __name__)
NOTE_FORMATS = ("markdown", "bbcode", "csv")


@bp.app_template_filter("when")
def when(moment: str | None) -> str:
    """An ISO 8601 moment in UTC, as `2026-06-10 12:51 UTC`, so that every date on a page compares; or a dash."""
    try:
        parsed = datetime.fromisoformat(moment or "")
    except ValueError:
        return moment or "—"
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@bp.get("/")
def home():
    """The start page is the release index."""
    return redirect(url_for("pages.releases"))


@bp.get("/releases")
def releases():
    """Components with their versions (newest first), task counts, announcement dates, and a filter box."""
    rows = queries.store().releases()
    components = [_component_summary(name, list(versions)) for name, versions in
                  groupby(rows, key=lambda r: r["component"])]
    return render_template("releases.html", components=components, query=request.args.get("q", ""))


def _component_summary(name: str, versions: list[dict]) -> dict:
    """One component of the index: its versions and totals."""
    firsts = [v["firstAnnouncedAt"] for v in versions if v["firstAnnouncedAt"]]
    lasts = [v["lastAnnouncedAt"] for v in versions if v["lastAnnouncedAt"]]
    return {"name": name, "versions": versions, "tasks": sum(v["tasks"] for v in versions),
            "first": min(firsts, default=None), "last": max(lasts, default=None)}


@bp.get("/releases/<component:component>")
def component(component: str):
    """A component's versions as a timeline, newest first."""
    versions = queries.component_versions(component)
    if not versions:
        abort(404, description=f"no release of {component!r} is known yet")
    return render_template("component.html", component=component.lower(), versions=versions)


@bp.get("/releases/<component:component>/<version>")
def version(component: str, version: str):
    """A version's tasks, with its notes to copy or download."""
    tasks = queries.release_tasks(component, version)
    if not tasks:
        abort(404, description=f"no task is known to have shipped in {component} {version}")
    component = component.lower()
    texts = {fmt: notes.render(fmt, component, version, tasks) for fmt in NOTE_FORMATS}
    return render_template("version.html", component=component, version=version, tasks=tasks, notes=texts)


@bp.get("/attention")
def attention():
    """Failed tasks with the error and what to fix, and tasks whose chat named no release."""
    lists = {outcome: queries.needing_attention(outcome, MAX_LISTED) for outcome in ATTENTION_OUTCOMES}
    return render_template("attention.html", lists=lists)
