"""Helpers for tests: building small projects in temporary folders and running asynclint on them."""

from __future__ import annotations

import ast
import subprocess
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path

import libcst as cst

from asynclint.api import CheckOptions, RunResult, check_paths
from asynclint.diagnostics import Applicability
from asynclint.registry import all_rules


def write_project(root: Path, files: Mapping[str, str]) -> Path:
    """Write `files` (relative path -> text) under `root` and return it."""
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def run_asynclint(project: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m asynclint check ARGS` in a fresh process, as a user runs it (no cache, one process)."""
    return subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "--no-cache", "-j", "1", *args],
        cwd=project,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def run(
    paths: list[Path],
    *,
    cwd: Path,
    fix: Applicability | None = None,
    select: list[str] | None = None,
    **options: object,
) -> RunResult:
    """Run asynclint with every rule (default-off ones included) unless `select` narrows it."""
    selected = select if select is not None else [rule.code for rule in all_rules()]
    return check_paths(paths, CheckOptions(select=selected, fix=fix, **options), cwd=cwd)  # type: ignore[arg-type]


#: What CPython's parser and compiler raise on code they reject.
_REJECTED = (SyntaxError, ValueError, RecursionError, MemoryError)


def python_parses(source: bytes) -> bool:
    """Whether CPython's own parser accepts the source (checked independently of asynclint's code)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except _REJECTED:
        return False
    return True


def compiles(source: bytes, filename: str = "<test>") -> bool:
    """Whether CPython compiles the source to bytecode (stricter than parsing: `return` outside a function)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(source, filename, "exec", dont_inherit=True)
    except _REJECTED:
        return False
    return True


def libcst_parses(source: bytes) -> bool:
    try:
        cst.parse_module(source)
    except (cst.ParserSyntaxError, UnicodeDecodeError, LookupError, *_REJECTED):
        return False
    return True
