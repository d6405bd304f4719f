"""The VibeCode API's errors as a small exception tree, each saying whether to retry and what to fix.

    ReleasebotError
    └── VibeError                 status, code, message, hint, retry_after, retryable, action
        ├── TransientError        retry later: 429, 5xx, timeouts, connection errors, portal overload
        └── PermanentError        retrying will not help; `action` tells the operator what to change
            ├── AuthError         401
            ├── PaymentRequired   402
            ├── ScopeError        403 SCOPE_DENIED, 422 insufficient_scope
            ├── AccessDenied      ACCESS_ERROR, BITRIX_ACCESS_DENIED, WRITE_BLOCKED_READONLY_KEY
            ├── NotFound          404 ENTITY_NOT_FOUND
            │   └── ChatNotFound  404 TASK_CHAT_NOT_FOUND
            ├── InvalidParams     400
            └── ProtocolError     an answer the client cannot read
"""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Iterable, Mapping

import requests

from releasebot.errors import ReleasebotError
from releasebot.model import ApiErrorInfo

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 6  # VibeCode keys are dozens of characters long
# The longest wait any Retry-After (header or body) can ask of the bot: the job is rescheduled no later
# than this, so a portal's 999999 cannot park a task for days (README, Exactly once).
MAX_RETRY_AFTER = 120.0
MAX_TEXT = 500  # an error's message, code or hint is cut to this many characters before it is kept anywhere
BITRIX_ERROR = "BITRIX_ERROR"
# The Bitrix24 codes that the gateway reports inside the message of a 422 BITRIX_ERROR.
BITRIX_CODES = (
    "insufficient_scope", "ACCESS_ERROR",
    "OPERATION_TIME_LIMIT", "QUERY_LIMIT_EXCEEDED", "OVERLOAD_LIMIT",
)
BITRIX_CODE_RE = re.compile(r"\b(" + "|".join(BITRIX_CODES) + r")\b", re.IGNORECASE)
RESCOPE = "re-issue VIBE_API_KEY with the scopes task, tasks and im"
WEB_PAGE_ACTION = ("nothing to fix unless it persists: a proxy or the portal's maintenance page answered "
                   "instead of the API; the job is retried. If it persists, check that VIBE_BASE_URL is the API "
                   "root, e.g. https://vibecode.bitrix24.com/v1")
NO_SUCH_ENDPOINT = ("nothing answers at this address: check that VIBE_BASE_URL is the API root, "
                    "e.g. https://vibecode.bitrix24.com/v1")


class VibeError(ReleasebotError):
    """An error answered by, or met on the way to, the VibeCode API."""

    retryable = False
    retried = False  # set by the client when urllib3 already retried the request
    default_action = "read the message: the VibeCode API refused the request"

    def __init__(self, message: str, *, status: int | None = None, code: str = "", hint: str = "",
                 retry_after: float | None = None, action: str = ""):
        self.message = _cut(message)
        self.status = status
        self.code = _cut(code)
        self.hint = _cut(hint)
        self.retry_after = retry_after
        self.action = action or self.default_action
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = " ".join(part for part in (f"HTTP {self.status}" if self.status else "", self.code) if part)
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return f"{text} -- {self.action}"

    def to_info(self) -> ApiErrorInfo:
        """The error as recorded in a failed task result."""
        return ApiErrorInfo(code=self.code or type(self).__name__, message=self.message,
                            status=self.status, action=self.action)


class TransientError(VibeError):
    """The request may succeed later: the portal is busy, down or rate limiting, or the network failed."""

    retryable = True
    default_action = "nothing to fix unless it persists: the portal or network is busy; the job is retried"


class PermanentError(VibeError):
    """Retrying the same request will fail the same way."""


class AuthError(PermanentError):
    """401: the key (or the application's bearer token) is missing, wrong or expired."""

    default_action = "VIBE_API_KEY is wrong or revoked: issue a new key with the scopes task, tasks and im"


class PaymentRequired(PermanentError):
    """402: the key's credit budget is spent."""

    default_action = "the VibeCode key's credit is spent: top up its budget or set a key that has credit"


class ScopeError(PermanentError):
    """The key was issued without a scope the bot needs."""

    default_action = f"the key lacks a scope the bot needs: {RESCOPE}"


class AccessDenied(PermanentError):
    """The key's Bitrix24 user may not read or write this."""

    default_action = "the key's Bitrix24 user may not do this: use a key whose user can (an administrator's)"


class NotFound(PermanentError):
    """404: no such task."""

    default_action = "check the task id: the task does not exist or was deleted"


class ChatNotFound(NotFound):
    """404 TASK_CHAT_NOT_FOUND: the task has no chat yet (or no such task)."""

    default_action = ("nothing to fix: the task has no chat yet (Bitrix24 creates it with the first message); "
                      "if the task itself is missing, check its id")


class InvalidParams(PermanentError):
    """400: the bot sent a bad id, limit or cursor."""

    default_action = "a bug in the request the bot sent: report it with this message"


class ProtocolError(PermanentError):
    """The answer is not JSON, or not in the documented shape."""

    default_action = "the API answered in an unexpected shape: check that VIBE_BASE_URL is the VibeCode API"


CODE_CLASSES: dict[str, type[VibeError]] = {
    "INVALID_PARAMS": InvalidParams,
    "MISSING_API_KEY": AuthError, "INVALID_API_KEY": AuthError,
    "INVALID_APP_KEY": AuthError, "TOKEN_EXPIRED": AuthError,
    "SCOPE_DENIED": ScopeError, "insufficient_scope": ScopeError,
    "BITRIX_ACCESS_DENIED": AccessDenied, "ACCESS_ERROR": AccessDenied,
    "WRITE_BLOCKED_READONLY_KEY": AccessDenied,
    "ENTITY_NOT_FOUND": NotFound, "TASK_CHAT_NOT_FOUND": ChatNotFound,
    "RATE_LIMITED": TransientError, "BITRIX_UNAVAILABLE": TransientError,
    "OPERATION_TIME_LIMIT": TransientError, "QUERY_LIMIT_EXCEEDED": TransientError,
    "OVERLOAD_LIMIT": TransientError,
}
STATUS_CLASSES: dict[int, type[VibeError]] = {
    400: InvalidParams, 401: AuthError, 402: PaymentRequired, 403: ScopeError, 404: NotFound,
    408: TransientError, 429: TransientError,
}
ACTIONS = {
    "MISSING_API_KEY": "VIBE_API_KEY was not sent: set it to a key with the scopes task, tasks and im",
    "INVALID_APP_KEY": "VIBE_API_KEY is an application key, which needs VIBE_BEARER_TOKEN: "
                       "set a current session token, or use a personal key (vibe_api_...)",
    "TOKEN_EXPIRED": "VIBE_BEARER_TOKEN has expired: set a fresh session token",
    "SCOPE_DENIED": f"the key lacks the task scope: {RESCOPE}",
    "insufficient_scope": f"the key lacks the im scope: {RESCOPE}",
    "ACCESS_ERROR": "the key's Bitrix24 user is not a member of the task chat: "
                    "add that user as a watcher, or use an administrator's key",
    "BITRIX_ACCESS_DENIED": "the key's Bitrix24 user may not see this task: "
                            "use a key whose user can (e.g. an administrator)",
    "WRITE_BLOCKED_READONLY_KEY": "VIBE_API_KEY is read-only: re-issue it with write access "
                                  "so the bot can post comments and update tasks",
    "RATE_LIMITED": "nothing to fix unless it persists: the key is over its rate limit; "
                    "if it persists, run fewer workers",
}


def error_from_response(status: int, body: object, headers: Mapping[str, str], *,
                        secrets: Iterable[str] = ()) -> VibeError:
    """The VibeError for an error answer: HTTP status, parsed JSON body (or None) and headers."""
    error = _error_object(body)
    message = redact(str(error.get("message") or _default_message(status, headers)), secrets)
    code = redact(_error_code(error, message), secrets)
    cls = _error_class(status, code)
    return cls(message, status=status, code=code, hint=redact(str(error.get("hint") or ""), secrets),
               retry_after=_retry_after(headers, error), action=_action(cls, code, status))


def error_from_exception(exc: requests.RequestException, what: str, *,
                         secrets: Iterable[str] = ()) -> VibeError:
    """The VibeError for a request that got no answer: `what` names the call, e.g. 'GET /tasks/53'."""
    reason = redact(str(exc), secrets)
    if isinstance(exc, requests.Timeout):
        return TransientError(f"{what} timed out: {reason}", code="TIMEOUT")
    if isinstance(exc, requests.ConnectionError | requests.exceptions.ChunkedEncodingError):
        return TransientError(f"{what} could not reach the API: {reason}", code="CONNECTION_ERROR",
                              action="if it persists, check VIBE_BASE_URL and that this host can reach it")
    if isinstance(exc, requests.exceptions.RetryError):
        return TransientError(f"{what} gave up after retries: {reason}", code="RETRIES_EXHAUSTED")
    return ProtocolError(f"{what} could not be sent: {reason}", code="REQUEST_ERROR",
                         action="check that VIBE_BASE_URL is a full http(s) URL such as https://vibecode.bitrix24.com/v1")


def unreadable_answer(status: int, headers, raw: bytes, what: str, *, secrets: Iterable[str] = ()) -> VibeError:
    """The error for a success answer without the API's JSON envelope. A web page is a proxy's
    or a maintenance page standing in for the API: transient, and its markup is not kept. Anything else is
    a protocol error quoting the start of the answer."""
    text = raw[:480].decode("utf-8", "replace")
    if _is_web_page(headers.get("Content-Type", ""), text):
        return TransientError(f"{what} answered HTTP {status} with a web page instead of the API's JSON",
                              status=status, code="HTML_ANSWER", action=WEB_PAGE_ACTION)
    snippet = redact(text, secrets)[:120]
    return ProtocolError(f"{what} answered without a JSON envelope: {snippet!r}", status=status,
                         code="BAD_ENVELOPE")


def _is_web_page(content_type: str, text: str) -> bool:
    return "html" in content_type.lower() or text.lstrip()[:15].lower().startswith(("<!doctype html", "<html"))


def _cut(text: str) -> str:
    """`text` cut to MAX_TEXT characters, so an answer cannot fill a log line or a stored result."""
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + f"... ({len(text) - MAX_TEXT} more characters)"


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret replaced, so a key echoed by a server never reaches a log.

    A secret of a few characters is no real key, and replacing it would shred every word it occurs in.
    """
    for secret in secrets:
        if len(secret) >= MIN_SECRET_LENGTH:
            text = text.replace(secret, REDACTED)
    return text


def _error_object(body: object) -> dict:
    """The `error` member of an error envelope, tolerating a bare string or no body at all."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, str):
        return {"message": error}
    return error if isinstance(error, dict) else {}


def _error_code(error: dict, message: str) -> str:
    """The API's code; for a 422 BITRIX_ERROR, the Bitrix24 code found in its message when there is one."""
    code = str(error.get("code") or "")
    if code == BITRIX_ERROR:
        found = BITRIX_CODE_RE.search(message)
        if found:
            return next(c for c in BITRIX_CODES if c.lower() == found.group(1).lower())
    return code


def _error_class(status: int, code: str) -> type[VibeError]:
    """Transport-level statuses (429, 5xx) decide first; then the code; then the status."""
    if status == 429 or status >= 500:
        return TransientError
    if code in CODE_CLASSES:
        return CODE_CLASSES[code]
    # A missing task is 404 ENTITY_NOT_FOUND; a 404 without it comes from a server where no API route matched.
    if 300 <= status < 400 or status == 404:
        return ProtocolError
    return STATUS_CLASSES.get(status, PermanentError)


def _action(cls: type[VibeError], code: str, status: int) -> str:
    """The one sentence telling the operator what to fix."""
    if code in ACTIONS and CODE_CLASSES.get(code) is cls:
        return ACTIONS[code]
    if 300 <= status < 400:
        return "VIBE_BASE_URL redirects: set it to the address it redirects to"
    if status == 404 and cls is ProtocolError:
        return NO_SUCH_ENDPOINT
    return cls.default_action


def _default_message(status: int, headers: Mapping[str, str]) -> str:
    """A message for an answer whose body says nothing."""
    location = _header(headers, "Location")
    return f"redirected to {location}" if location else f"HTTP {status} without an error body"


def _retry_after(headers: Mapping[str, str], error: dict) -> float | None:
    """Seconds to wait, from the Retry-After header (seconds or HTTP date) or `error.retryAfter`."""
    for value in (_header(headers, "Retry-After"), error.get("retryAfter")):
        seconds = retry_after_seconds(value)
        if seconds is not None:
            return seconds
    return None


def retry_after_seconds(value: object) -> float | None:
    """A Retry-After value as seconds from now, at most MAX_RETRY_AFTER; None (use the backoff) when it
    is neither a number nor an HTTP date, or is negative, infinite or not a number."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()[:64]  # a date or a number is short; anything longer is not one
    try:
        seconds = float(text) if isinstance(value, str) else float(value)
    except (TypeError, ValueError, OverflowError):
        seconds = _date_seconds(text)
    if seconds is None or math.isnan(seconds) or seconds < 0:
        return None
    return min(seconds, MAX_RETRY_AFTER)


def _date_seconds(text: str) -> float | None:
    """Seconds from now until an HTTP date, or None when `text` is not one."""
    try:
        parsed = email.utils.parsedate_tz(text)
        return max(0.0, email.utils.mktime_tz(parsed) - time.time()) if parsed else None
    except (TypeError, ValueError, OverflowError):
        return None


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """A header by case-insensitive name, from any mapping."""
    wanted = name.lower()
    return next((v for k, v in headers.items() if k.lower() == wanted), None)
