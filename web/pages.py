"""Pages for people: the release index, a component's versions, a version's tasks and notes, what needs attention."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import groupby

from flask import Blueprint, abort, redirect, render_template, request, url_for

from releasebot import notes
from releasebot.attention import OUTCOMES as ATTENTION_OUTCOMES
from store import BadCursor
from web import queries
from web.results import next_url, page_args

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
    """Components with their versions (newest first), task counts, announcement dates, and a filter box; a
    page of versions at a time, filtered on the server by `?q=`."""
    query = request.args.get("q", "")
    page = queries.store().releases(*page_args(), query=query)
    summaries = queries.store().component_summaries(row["component"] for row in page.items)
    components = [{"name": name, "rows": list(rows), **summaries.get(name, {})}
                  for name, rows in groupby(page.items, key=lambda r: r["component"])]
    return render_template("releases.html", components=components, query=query, next=next_url(page))


@bp.get("/releases/<component:component>")
def component(component: str):
    """A component's versions as a timeline, newest first, a page at a time."""
    page = queries.store().versions_of(component, *page_args())
    if not page.items and not request.args.get("cursor"):
        abort(404, description=f"no release of {component!r} is known yet")
    return render_template("component.html", component=component.lower(), versions=page.items,
                           next=next_url(page))


@bp.get("/releases/<component:component>/<version>")
def version(component: str, version: str):
    """A version's tasks a page at a time, with the notes of those tasks to copy, and of all of them to download."""
    release = queries.store().release(component, version)
    if release is None:
        abort(404, description=f"no task is known to have shipped in {component} {version}")
    page = queries.release_tasks(component, version, *page_args())
    component = component.lower()
    texts = {fmt: notes.render(fmt, component, version, page.items) for fmt in NOTE_FORMATS}
    return render_template("version.html", component=component, version=version, tasks=page.items,
                           total=release["tasks"], notes=texts, next=next_url(page))


@bp.get("/attention")
def attention():
    """Failed tasks with the error and what to fix, and tasks whose chat named no release; `?outcome=` pages
    through one of the two lists."""
    chosen = request.args.get("outcome")
    outcomes = [chosen] if chosen in ATTENTION_OUTCOMES else ATTENTION_OUTCOMES
    lists = {}
    for outcome in outcomes:
        page = queries.needing_attention(outcome, *page_args() if chosen else (None, None))
        lists[outcome] = {"tasks": page.items, "next": page.next and url_for(
            "pages.attention", outcome=outcome, cursor=page.next, _anchor=outcome)}
    return render_template("attention.html", lists=lists)


@bp.errorhandler(BadCursor)
def bad_cursor(error: BadCursor):
    """A cursor this server did not give out: a page that says to start again."""
    return render_template("error.html", code=400, description=str(error)), 400
