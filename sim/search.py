"""POST /tasks/search: the Mongo-style filter, order, select, limit and offset, checked and run over tasks."""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import datetime

from sim.error_answers import ApiError, invalid_params
from sim.portal import SimTask
from sim.scenario import ScenarioError, parse_int, parse_time

MAX_LIMIT = 50
QUERY_FIELDS = {"filter", "order", "select", "limit", "offset"}
FIELD_KINDS = {"id": "number", "status": "number", "groupId": "number", "closedDate": "time", "changedDate": "time",
               "title": "text"}
FIELD_VALUES = {
    "id": lambda task: task.id,
    "status": lambda task: task.status,
    "groupId": lambda task: task.group_id,
    "closedDate": lambda task: task.closed_date,
    "changedDate": lambda task: task.changed_date,
    "title": lambda task: task.title,
}
COMPARISONS = {"$gt": operator.gt, "$gte": operator.ge, "$lt": operator.lt, "$lte": operator.le}
EQUALITIES = {"$eq": operator.eq, "$ne": operator.ne}
MEMBERSHIPS = {"$in": True, "$nin": False}
OPERATORS = {*COMPARISONS, *EQUALITIES, *MEMBERSHIPS}
SELECTABLE = {"id", "title", "status", "groupId", "closedDate", "changedDate", "tags", "description",
              "responsibleId", "createdBy", "createdDate", "deadline", "priority"}
FILTER_HINT = 'e.g. {"status": 5, "closedDate": {"$gte": "2026-06-01T00:00:00+02:00"}}'


@dataclass(frozen=True)
class Condition:
    """One field compared with one value."""

    field: str
    op: str
    value: object

    def holds(self, task: SimTask) -> bool:
        """Whether the task satisfies it; a missing value satisfies only equality tests."""
        actual = FIELD_VALUES[self.field](task)
        if self.op in MEMBERSHIPS:
            return (actual in self.value) == MEMBERSHIPS[self.op]
        if self.op in EQUALITIES:
            return EQUALITIES[self.op](actual, self.value)
        return actual is not None and self.value is not None and COMPARISONS[self.op](actual, self.value)


@dataclass(frozen=True)
class SearchQuery:
    """A checked search body."""

    conditions: tuple[Condition, ...]
    order: tuple[tuple[str, bool], ...]  # (field, descending)
    select: tuple[str, ...] | None
    limit: int
    offset: int


def parse_query(body: dict, tz) -> SearchQuery:
    """Check a search body; anything unknown is a 400 INVALID_PARAMS naming it."""
    _known(body, QUERY_FIELDS, "search body")
    return SearchQuery(
        conditions=_conditions(body.get("filter") or {}, tz),
        order=_order(body.get("order") or {}),
        select=_select(body["select"]) if body.get("select") is not None else None,
        limit=min(_number(body.get("limit", MAX_LIMIT), "limit", 1), MAX_LIMIT),
        offset=_number(body.get("offset", 0), "offset", 0),
    )


def run_query(query: SearchQuery, tasks: list[SimTask]) -> tuple[list[SimTask], int]:
    """The page of matching tasks in order, and how many match in all."""
    found = [task for task in tasks if all(c.holds(task) for c in query.conditions)]
    found.sort(key=lambda task: task.id)
    for field, descending in reversed(query.order):
        found = _sorted(found, field, descending)
    return found[query.offset:query.offset + query.limit], len(found)


def _sorted(tasks: list[SimTask], field: str, descending: bool) -> list[SimTask]:
    """Stable sort on one field; tasks without a value go last either way."""
    value = FIELD_VALUES[field]
    present = [task for task in tasks if value(task) is not None]
    missing = [task for task in tasks if value(task) is None]
    return sorted(present, key=value, reverse=descending) + missing


def _unknown_field(where: str, name: str, known) -> ApiError:
    return invalid_params(f"{where}: unknown field {name!r}", hint="known: " + ", ".join(sorted(known)))


def _known(mapping, known: set[str], where: str) -> None:
    if not isinstance(mapping, dict):
        raise invalid_params(f"{where} must be a JSON object")
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise _unknown_field(where, unknown[0], known)


def _conditions(raw: dict, tz) -> tuple[Condition, ...]:
    _known(raw, set(FIELD_KINDS), "filter")
    conditions = []
    for field, test in raw.items():
        tests = test if isinstance(test, dict) else {"$eq": test}
        _known(tests, OPERATORS, f"filter.{field}")
        conditions += [Condition(field, op, _operand(field, op, value, tz)) for op, value in tests.items()]
    return tuple(conditions)


def _operand(field: str, op: str, value, tz):
    if op in MEMBERSHIPS:
        if not isinstance(value, list):
            raise invalid_params(f"filter.{field}.{op} takes a list", hint=FILTER_HINT)
        return [_value(field, item, tz) for item in value]
    return _value(field, value, tz)


def _value(field: str, value, tz):
    """A filter value in the field's own type (numbers may come as strings)."""
    if value is None:
        return None
    kind = FIELD_KINDS[field]
    try:
        if kind == "number":
            return parse_int(value, f"filter.{field}")
        if kind == "time":
            return parse_time(value, f"filter.{field}", tz) if not isinstance(value, datetime) else value
    except ScenarioError as exc:
        raise invalid_params(str(exc), hint=FILTER_HINT) from None
    if not isinstance(value, str):
        raise invalid_params(f"filter.{field}: expected a string, got {value!r}")
    return value


def _order(raw: dict) -> tuple[tuple[str, bool], ...]:
    _known(raw, set(FIELD_KINDS), "order")
    for field, direction in raw.items():
        if str(direction).lower() not in ("asc", "desc"):
            raise invalid_params(f"order.{field}: expected asc or desc, got {direction!r}")
    return tuple((field, str(direction).lower() == "desc") for field, direction in raw.items())


def _select(raw) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(name, str) for name in raw):
        raise invalid_params("select must be a list of field names")
    unknown = sorted(name for name in raw if name not in SELECTABLE and not name.startswith("UF_"))
    if unknown:
        raise _unknown_field("select", unknown[0], SELECTABLE)
    return tuple(raw)


def _number(value, name: str, minimum: int) -> int:
    try:
        return parse_int(value, name, minimum)
    except ScenarioError as exc:
        raise invalid_params(str(exc)) from None
