"""The baseline tree the benchmarks compare against: an earlier commit checked out with `git worktree`."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def baseline_tree(folder: Path, revision: str) -> Path | None:
    """A checkout of `revision` under `folder`, or None without git history (then only this tree is measured)."""
    tree = folder / "baseline"
    done = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), revision],
                          capture_output=True, text=True)
    return tree if done.returncode == 0 else None


def remove_tree(tree: Path | None) -> None:
    """Remove a checkout baseline_tree made (and git's record of it)."""
    if tree is not None:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)
