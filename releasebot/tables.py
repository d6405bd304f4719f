"""Tables as a reader takes them in: a row's version beside its component, a two-column table as its fields.

Markdown and BB-code tables reach the reading as lines of cells ("| payments | production | 3.3.1 | ok |").
When the header names the component's column and the version's apart ("| service | env | version |"), each
row is rewritten with its other cells first and the pair last ("| production | ok | payments | 3.3.1 |"): the
rules read the pair, and the guards see the cells that speak of it ("staging", "postponed") before it. A table
of two columns whose first names fields ("| Module | sale |", "| Version | 25.1.0 |") is a card: its rows become
"Module: sale" lines.
"""

from __future__ import annotations

import re

COMPONENT_HEADER_RE = re.compile(
    r"(?:service|component|module|app|application|package|project|repo|repository|сервис|сервіс|модуль|компонент"
    r"|приложение|застосунок|пакет|dienst|komponente|modul|paket|servicio|componente|m[oó]dulo|paquete|servi[cç]o"
    r"|pacote|usługa|moduł|komponent|pakiet|aplikacja)s?", re.IGNORECASE)
VERSION_HEADER_RE = re.compile(
    r"(?:version|versions|tag|image\s+tag|release|build|версия|версія|релиз|реліз|versi[oó]n|vers[aã]o|wersja)",
    re.IGNORECASE)
SEPARATOR_CELL_RE = re.compile(r":?-{2,}:?")
ENVIRONMENT_HEADER_RE = re.compile(
    r"(?:env|environment|stage|среда|окружение|стенд|середовище|umgebung|entorno|ambiente|środowisko)", re.IGNORECASE)
ENVIRONMENT_RE = re.compile(
    r"(?:prod|production|prd|live|stage|staging|stg|dev|qa|test|uat|pre-?prod|прод|продакшн|стейдж|тест|препрод|бой)",
    re.IGNORECASE)
NAME_CELL_RE = re.compile(r"@?[a-z][\w.@/-]*", re.IGNORECASE)
MARKED_VERSION_RE = re.compile(r"v?\d+(?:\.\d+)+\S*\s+\S.*")  # "0.42.0 ✅", "0.42.0 (deployed)"


def read_tables(text: str) -> str:
    """The text with its tables' rows arranged as described above; other lines as they are."""
    if "|" not in text:
        return text
    out: list[str] = []
    block: list[str] = []
    blank: list[str] = []  # blank lines after a row: between a BB-code table's rows, or after the table
    for line in text.split("\n"):
        if _is_row(line):
            block.append(line)
            blank = []
        elif block and not line.strip():
            blank.append(line)
        else:
            out.extend((*_arranged(block), *blank, line))
            block, blank = [], []
    out.extend((*_arranged(block), *blank))
    return "\n".join(out)


def _is_row(line: str) -> bool:
    return line.lstrip().startswith("|") and line.count("|") >= 2


def _cells(line: str) -> list[str]:
    cells = [cell.strip() for cell in line.strip().split("|")]
    return cells[1:-1] if cells and cells[-1] == "" else cells[1:]


def _arranged(block: list[str]) -> list[str]:
    if len(block) < 2:
        return block
    rows = [_cells(line) for line in block]
    rows = [row for row in rows if not all(SEPARATOR_CELL_RE.fullmatch(cell) for cell in row if cell)]
    if len(rows) >= 2 and all(len(row) == 2 for row in rows) \
            and any(COMPONENT_HEADER_RE.fullmatch(row[0]) for row in rows) \
            and any(VERSION_HEADER_RE.fullmatch(row[0]) for row in rows):
        return [f"{key}: {value}" if key else value for key, value in rows]
    header = rows[0]
    matrix = _environment_matrix(rows)
    if matrix:
        return [*block, *matrix]
    component = next((i for i, cell in enumerate(header) if COMPONENT_HEADER_RE.fullmatch(cell)), None)
    version = next((i for i, cell in enumerate(header) if VERSION_HEADER_RE.fullmatch(cell)), None)
    if component is None or version is None or (version == component + 1 and len(header) == version + 1):
        return block  # (a pair last in its row is read as it stands; a cell after it, "| PROD |", goes first)
    arranged = [block[0]]
    for row in rows[1:]:
        if len(row) == len(header):  # the row's other cells first: they speak of its pair ("staging", "postponed")
            row = [cell for i, cell in enumerate(row) if i not in (component, version)] + [row[component], row[version]]
        arranged.append("| " + " | ".join(row) + " |")
    return arranged



def _environment_matrix(rows: list[list[str]]) -> list[str]:
    """The cells of a status table of environments and components, either way round ("| env | lobby-svc |" over
    "| prod | 0.42.0 ✅ |", or "| service | stage | prod |" over "| lobby-svc | 0.42.0 | 0.42.0 ✅ |"), that say more
    than a version, each as a row with its environment first: "| prod | lobby-svc 0.42.0 ✅ |". A bare version in
    such a table is what the environment runs, not a release. Empty when the table is not one."""
    header, body = rows[0], [row for row in rows[1:] if len(row) == len(rows[0])]
    if len(header) < 2 or not body:
        return []
    names = header[1:]
    if ENVIRONMENT_HEADER_RE.fullmatch(header[0]) and all(NAME_CELL_RE.fullmatch(name) for name in names) \
            and not any(VERSION_HEADER_RE.fullmatch(name) for name in names) \
            and all(ENVIRONMENT_RE.fullmatch(row[0]) for row in body):
        cells = [(row[0], name, cell) for row in body for name, cell in zip(names, row[1:], strict=True)]
    elif (not header[0] or COMPONENT_HEADER_RE.fullmatch(header[0])) \
            and all(ENVIRONMENT_RE.fullmatch(name) for name in names) \
            and all(NAME_CELL_RE.fullmatch(row[0]) for row in body):
        cells = [(environment, row[0], cell) for row in body for environment, cell in zip(names, row[1:], strict=True)]
    else:
        return []
    return [f"| {environment} | {name} {cell} |" for environment, name, cell in cells
            if MARKED_VERSION_RE.fullmatch(cell)]
