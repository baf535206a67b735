"""Shared fixtures: where the repository and the shared sample data are, and the Rust examples."""

from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SSDA903 = SHARED / "data" / "ssda903"


def example(name: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Runs a Rust example of the repository (built by cargo on first use). Output is decoded
    as UTF-8 with line ends kept as they are."""
    p = subprocess.run(
        ["cargo", "run", "--quiet", "--example", name, "--", *args], cwd=ROOT, capture_output=True, check=False
    )
    out = subprocess.CompletedProcess(p.args, p.returncode, p.stdout.decode(), p.stderr.decode())
    if check and p.returncode != 0:
        raise AssertionError(f"{name} {' '.join(args)} exited {p.returncode}: {out.stderr}")
    return out


def need_shared() -> None:
    """The SSDA903 sample files sit in ../shared beside the checkout; a skip there fails in CI."""
    if not SSDA903.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SSDA903} not found: shared/ must sit beside the checkout")
        pytest.skip(f"{SSDA903} not found (shared/ beside the checkout)")
