"""The README's Python examples run as written (from the checkout's root), and each printed line
with an expected value in a trailing comment prints that value."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import ROOT, need_shared


def blocks():
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_there_are_examples():
    assert len(blocks()) >= 4


@pytest.mark.parametrize("i", range(len(blocks())))
def test_readme_example_runs(i):
    code = blocks()[i]
    if "../shared" in code:
        need_shared()
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, f"README example {i} failed:\n{code}\n{p.stderr}"
    for line in code.splitlines():
        m = re.match(r"\s*print\((.*)\)\s+# (.*)$", line)
        if m:
            assert m.group(2).strip() in p.stdout, f"{line!r}: printed\n{p.stdout}"
