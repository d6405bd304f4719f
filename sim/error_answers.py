"""The API's error answers: status, code, message, hint and retryAfter, as tests/data/api/error_*.json show them."""

from __future__ import annotations

CODE_FOR_STATUS = {
    400: "INVALID_PARAMS",
    401: "INVALID_API_KEY",
    402: "PAYMENT_REQUIRED",  # assumed: the docs list 402 without a code
    403: "SCOPE_DENIED",
    404: "ENTITY_NOT_FOUND",
    422: "BITRIX_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    502: "BITRIX_UNAVAILABLE",
    503: "BITRIX_UNAVAILABLE",
    504: "BITRIX_UNAVAILABLE",
}
# What Bitrix24 itself says for the codes the gateway passes on inside a 422 BITRIX_ERROR.
BITRIX_DESCRIPTIONS = {
    "insufficient_scope": "The request requires higher privileges than provided by the webhook token",
    "ACCESS_ERROR": "Access denied: the key's user is not a member of this chat",
    "OPERATION_TIME_LIMIT": "Method is blocked due to operation time limit",
    "QUERY_LIMIT_EXCEEDED": "Too many requests",
    "OVERLOAD_LIMIT": "REST API is blocked due to overload",
}
DEFAULT_BITRIX_CODE = "OPERATION_TIME_LIMIT"
UNAVAILABLE_HINT = "the portal is down or busy; retry with backoff"


class ApiError(Exception):
    """An error answer of the simulated API; raising it from a view sends it."""

    def __init__(self, status: int, code: str, message: str, hint: str | None = None,
                 retry_after: int | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.hint = hint
        self.retry_after = retry_after

    def body(self) -> dict:
        """The JSON body: {"success": false, "error": {...}}."""
        error = {"code": self.code, "message": self.message}
        if self.hint:
            error["hint"] = self.hint
        if self.retry_after is not None:
            error["retryAfter"] = self.retry_after
        return {"success": False, "error": error}

    def headers(self) -> dict:
        """The extra response headers (Retry-After for a 429)."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}


def invalid_params(message: str, hint: str | None = None) -> ApiError:
    """400 INVALID_PARAMS."""
    return ApiError(400, "INVALID_PARAMS", message, hint)


def bitrix_error(bitrix_code: str) -> ApiError:
    """422 BITRIX_ERROR carrying the portal's own code at the start of the message."""
    description = BITRIX_DESCRIPTIONS.get(bitrix_code, "Bitrix24 error")
    return ApiError(422, "BITRIX_ERROR", f"{bitrix_code}: {description}")


def rate_limited(seconds: int) -> ApiError:
    """429 RATE_LIMITED with the wait in both the Retry-After header and error.retryAfter."""
    return ApiError(429, "RATE_LIMITED", "Too many requests", hint=f"retry after {seconds} s",
                    retry_after=seconds)


def error_for_status(status: int, code: str | None = None, bitrix_code: str | None = None) -> ApiError:
    """The error a failing portal answers with this HTTP status (for injected faults)."""
    if status == 422 and code in (None, "BITRIX_ERROR"):
        return bitrix_error(bitrix_code or DEFAULT_BITRIX_CODE)
    if status == 429 and code in (None, "RATE_LIMITED"):
        return rate_limited(1)
    code = code or CODE_FOR_STATUS.get(status, "INTERNAL_ERROR")
    hint = UNAVAILABLE_HINT if status >= 500 else None
    return ApiError(status, code, f"simulated failure (HTTP {status})", hint)
