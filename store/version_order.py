"""Versions in version order as text a database sorts bytewise: 24.500.0 after 24.90.0, in any SQL database.

Each dot-separated part becomes a code of digits that sorts like its value: the count of its length's
digits, its length, then its digits without leading zeros (`500` -> `13500`, `0` -> `10`); a part that is
not ASCII digits sorts as 0. The codes are prefix-free, so their concatenation sorts like the tuple of parts
(24.500 before 24.500.1). `descending` complements every digit and ends with `:`, which sorts after every
digit: ascending order on it is newest first, so one ascending index serves both the index and its cursor.
"""

from __future__ import annotations

COMPLEMENT = str.maketrans("0123456789", "9876543210")
END = ":"  # after '9' in ASCII: a version sorts after (descending: before) the longer ones it starts


def ascending(version: str) -> str:
    """A key whose bytewise order is version order; never raises, whatever was recorded."""
    return "".join(_part(part) for part in version.split("."))


def descending(version: str) -> str:
    """A key whose bytewise order is newest version first."""
    return ascending(version).translate(COMPLEMENT) + END


def _part(part: str) -> str:
    digits = part.lstrip("0") if part.isascii() and part.isdigit() else ""
    length = str(len(digits))
    return f"{len(length)}{length}{digits}"
