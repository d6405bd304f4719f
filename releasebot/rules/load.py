"""rules.yaml: loading and validation that names the file, line and field of every problem.

The YAML is read as nodes (`yaml.compose`), so every problem carries the line it is on; check.py walks them
field by field and builds the loaded form (model.py).
"""

from __future__ import annotations

import hashlib
import os
import stat

import yaml

from releasebot.rules.check import Checker
from releasebot.rules.model import Problem, Rules, RulesError

YAML_HINTS = {
    "found unknown escape character": "in double quotes a backslash starts an escape: write the pattern in "
                                      "single quotes, e.g. pattern: '\\d+'",
    "that cannot start any token": "YAML indents with spaces, never tabs",
    "mapping values are not allowed here": "check this line's indentation against the line before; a value "
                                           "containing ': ' must be quoted, e.g. text: 'note: done'",
    "could not find expected ':'": "check this line's indentation and quoting against the line before",
    "expected <block end>": "check the indentation: items of one list or mapping line up",
    "found undefined alias": "an *alias needs an &anchor defined before it",
    "aliases are not allowed": "write the value out where it is used: a rules file repeats text, it does not "
                               "refer to it",
}
READ_HINT = "pass the file to use, or set RULES_FILE; the repository ships rules.yaml at its root"
# A rules file is a few pages of YAML (the shipped one, with its seven languages' words, is about 67 KB); bigger
# is a mistake or an attack. What it costs to run is bounded apart: each pattern expands to at most 64 KB
# (fragments.py) and compiles within RE2's memory bound (patterns.py).
MAX_RULES_BYTES = 128 * 1024
MAX_PROBLEMS = 50  # problems reported for one file; the rest are counted
MAX_PROBLEM_CHARS = 500  # a problem's message is cut to this: it may quote the file


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader refusing `*alias`: a few KB of nested aliases expand to gigabytes when walked."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, f"aliases are not allowed (*{event.anchor})",
                                              event.start_mark)
        return super().compose_node(parent, index)


def parse_rules(text: str, path: str = "rules.yaml", examples: bool = True) -> Rules:
    """The rules in a rules file's text; raises RulesError listing every problem at once. With
    examples=False the rules' examples are not run (`rules test` uses it to debug a failing rule)."""
    rules, problems = _parse(text, str(path), examples)
    if problems:
        raise RulesError(problems)
    return rules


def check_rules(text: str, path: str) -> list[Problem]:
    """Every problem in a rules file's text, by line; empty when the file is good."""
    return _parse(text, str(path))[1]


def read_rules_file(path) -> bytes:
    """The bytes of a rules file: a regular file of at most MAX_RULES_BYTES, read without blocking
    (a FIFO or a device such as /dev/zero is refused, never read); raises RulesError saying why not."""
    path = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise _unreadable(path, f"cannot read the rules file: {error.strerror or error}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # before fdopen, which a folder makes raise
        os.close(fd)
        raise _unreadable(path, "the rules file is not a regular file (a pipe, device or folder)")
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(MAX_RULES_BYTES + 1)
    if len(data) > MAX_RULES_BYTES:
        raise RulesError([Problem(path, 0, f"the rules file is over {MAX_RULES_BYTES // 1024} KB",
                                  "a rules file is a page or two of YAML: split out what is not rules")])
    return data


def _unreadable(path: str, message: str) -> RulesError:
    return RulesError([Problem(path, 0, message, READ_HINT)])


def load_rules(path, examples: bool = True) -> Rules:
    """The rules in the file at `path`; raises RulesError when it cannot be read or is not valid."""
    path = str(path)
    data = read_rules_file(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        message = f"not UTF-8 text (byte 0x{data[error.start]:02x})"
        problem = Problem(path, line, message, "save the file as UTF-8")
        raise RulesError([problem]) from None
    return parse_rules(text, path, examples)


def _parse(text: str, path: str, examples: bool = True) -> tuple[Rules | None, list[Problem]]:
    if len(text) > MAX_RULES_BYTES:
        return None, [Problem(path, 0, f"the rules are over {MAX_RULES_BYTES // 1024} KB of text")]
    rules, problems = _parse_document(text, path, examples)
    return rules, _bounded(problems)


def _bounded(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS problems, each cut to MAX_PROBLEM_CHARS, the rest counted in one more."""
    kept = [Problem(p.path, p.line, _cut(p.message), _cut(p.hint)) for p in problems[:MAX_PROBLEMS]]
    if len(problems) > MAX_PROBLEMS:
        kept.append(Problem(problems[0].path, 0, f"and {len(problems) - MAX_PROBLEMS} more problems"))
    return kept


def _cut(text: str) -> str:
    return text if len(text) <= MAX_PROBLEM_CHARS else text[:MAX_PROBLEM_CHARS] + "..."


def _parse_document(text: str, path: str, examples: bool = True) -> tuple[Rules | None, list[Problem]]:
    root, problems = _compose(text, path)
    if root is None:
        return None, problems
    checker = Checker(path, examples)
    fields = checker.document(root)
    if checker.problems or fields is None:
        return None, sorted(checker.problems, key=lambda problem: problem.line)
    sha256 = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Rules(path=path, sha256=sha256, **fields), []


def _compose(text: str, path: str) -> tuple[yaml.Node | None, list[Problem]]:
    """The YAML node tree, or the syntax problem that stops the reading."""
    try:
        root = yaml.compose(text, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(path, error)]
    except yaml.reader.ReaderError as error:
        line = text[:error.position].count("\n") + 1
        message = f"YAML syntax: character #x{error.character:04x} is not allowed"
        return None, [Problem(path, line, message, "remove it: it is invisible in most editors")]
    except yaml.YAMLError as error:
        return None, [Problem(path, 1, f"YAML syntax: {error}")]
    except RecursionError:
        return None, [Problem(path, 1, "the file nests lists and mappings too deeply to read")]
    if root is None:
        return None, [Problem(path, 1, "the file is empty", "start from the shipped rules.yaml")]
    return root, []


def _syntax_problem(path: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = f"YAML syntax: {error.problem}" + (f" ({error.context})" if error.context else "")
    hint = next((hint for key, hint in YAML_HINTS.items() if key in (error.problem or "")),
                "check the indentation and quoting of this line")
    return Problem(path, mark.line + 1 if mark else 1, message, hint)
