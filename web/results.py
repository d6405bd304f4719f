"""The read API: what the bot knows about tasks and releases, as JSON and as release notes, a page at a time."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Response, abort, jsonify, request, stream_with_context, url_for
from werkzeug.utils import secure_filename

from releasebot import notes
from releasebot.attention import OUTCOMES as ATTENTION_OUTCOMES
from store import MAX_LIMIT, BadCursor, Page
from web import queries

bp = Blueprint("results", __name__)


def page_args() -> tuple[int | None, str | None]:
    """`?limit=N&cursor=…` of a list request (the store keeps the limit within its bounds)."""
    return request.args.get("limit", type=int), request.args.get("cursor") or None


def next_url(page: Page) -> str | None:
    """The URL of the page after this one: the same request with the page's cursor; None on the last page."""
    if page.next is None:
        return None
    return url_for(request.endpoint, **(request.view_args or {}), **(request.args.to_dict() | {"cursor": page.next}))


@bp.errorhandler(BadCursor)
def bad_cursor(error: BadCursor):
    """A cursor this server did not give out is a 400 that says to start again."""
    return jsonify({"error": str(error)}), 400


@bp.get("/api/tasks/<int:task_id>")
def task_result(task_id: int):
    """The latest result for a task."""
    result = queries.store().get(task_id)
    if result is None:
        abort(404, description=f"task {task_id} has not been processed")
    return jsonify(result.to_json())


@bp.get("/api/tasks")
def tasks_needing_attention():
    """Tasks whose latest result is failed or not_found, newest first, with what to do."""
    outcome = request.args.get("outcome", "")
    if outcome not in ATTENTION_OUTCOMES:
        abort(400, description=f"outcome must be one of {', '.join(ATTENTION_OUTCOMES)}")
    page = queries.needing_attention(outcome, *page_args())
    return jsonify({"outcome": outcome, "tasks": page.items, "next": next_url(page)})


@bp.get("/api/releases")
def releases():
    """Known component/versions with their task count and first and last announcement; `?q=` filters."""
    page = queries.store().releases(*page_args(), query=request.args.get("q", ""))
    return jsonify({"releases": page.items, "next": next_url(page)})


@bp.get("/api/releases/<component:component>")
def component_releases(component: str):
    """A component's versions newest first; `?since=24.400.0&until=24.600.0` keeps a range, in version order."""
    if not queries.store().component_summaries([component.lower()]):
        abort(404, description=f"no release of {component!r} is known yet")
    page = queries.store().versions_of(component, *page_args(), since=request.args.get("since") or None,
                                       until=request.args.get("until") or None)
    return jsonify({"component": component.lower(), "releases": page.items, "next": next_url(page)})


@bp.get("/api/releases/<component:component>/<version>")
def release_tasks(component: str, version: str):
    """The tasks shipped in one component/version, as JSON objects a page at a time, or as release notes."""
    fmt = request.args.get("format", "json")
    if fmt not in notes.FORMATS:
        abort(400, description=f"format must be one of {', '.join(notes.FORMATS)}")
    if queries.store().release(component, version) is None:
        abort(404, description=f"no task is known to have shipped in {component} {version}")
    component = component.lower()
    if fmt == "json":
        page = queries.release_tasks(component, version, *page_args())
        response = jsonify({"component": component, "version": version, "tasks": page.items,
                            "next": next_url(page)})
    else:  # every task, streamed a page at a time; content_type, not mimetype: the media type names its charset
        body = notes.stream(fmt, component, version, _all_pages(component, version))
        response = Response(stream_with_context(body), content_type=notes.MEDIA_TYPES[fmt])
    return _as_download(response, fmt, component, version)


def _as_download(response: Response, fmt: str, component: str, version: str) -> Response:
    """`?download=1` saves the answer, in any format, as a file."""
    if request.args.get("download"):
        name = secure_filename(f"{component}-{version}.{notes.EXTENSIONS[fmt]}") or "notes.txt"
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _all_pages(component: str, version: str) -> Iterator[list[dict]]:
    cursor = None
    while True:
        page = queries.release_tasks(component, version, MAX_LIMIT, cursor)
        yield page.items
        if page.next is None:
            return
        cursor = page.next
