"""ARCHITECTURE.md names, for each of its paths, one existing file per layer and no file twice."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PATHS = (ROOT / "ARCHITECTURE.md").read_text().split("\n## ")[2:]


@pytest.mark.parametrize("path", PATHS, ids=lambda text: text.splitlines()[0])
def test_a_path_names_one_existing_file_per_layer(path):
    steps = re.findall(r"^\d+\. `([\w/.]+)` \((\w+)\)", path, re.MULTILINE)
    files, layers = [file for file, _ in steps], [layer for _, layer in steps]
    assert len(steps) >= 4 and len(set(files)) == len(files) and len(set(layers)) == len(layers)
    assert all((ROOT / file).exists() for file in files)
