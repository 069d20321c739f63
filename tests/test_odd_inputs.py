"""No input stops a run: every file gets findings, a clean result, or AIO001 saying why, and the run goes on.

The odd files sit together in one project, linted by a real `asynclint` process (so that a hang is a timeout
and a crash a traceback, not a test stuck forever). A good test module among them must still be reported.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from asynclint.api import CheckOptions, RunResult, check_paths
from asynclint.deep_recursion import describe_error
from tests.helpers import run_asynclint, write_project

UNMARKED = "import pytest\n\n\nasync def test_fetch():\n    assert True\n"
PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==8.3.5\npytest-asyncio==0.25.3\n",
}
#: file -> (bytes, what asynclint must say of it: the AIO001 reason, or the codes it finds)
ODD_FILES: dict[str, tuple[bytes, str | list[str]]] = {
    "test_syntax_error.py": (b"def test_x(:\n    pass\n", "cannot parse the file: invalid syntax"),
    "test_python2.py": (b'print "hello"\n', "Missing parentheses in call to 'print'"),
    "test_undecodable.py": (b'x = "\xff\xfe"\n', "cannot decode the file"),
    "test_null_bytes.py": (b"def test_a():\n    pass\x00\n", "null bytes"),
    "test_binary.py": (bytes(range(256)) * 4, "cannot"),
    "test_empty.py": (b"", []),
    "test_bom.py": (b"\xef\xbb\xbf" + UNMARKED.encode(), ["AIO101"]),
    "test_crlf.py": (UNMARKED.replace("\n", "\r\n").encode(), ["AIO101"]),
    "test_mixed_endings.py": (b"import pytest\r\n\n\rasync def test_fetch():\r\n    assert True\n", ["AIO101"]),
    "test_latin1.py": (
        ("# -*- coding: latin-1 -*-\n" + UNMARKED + "# caf\xe9\n").encode("latin-1"),
        ["AIO101"],
    ),
    "test_bad_cookie.py": (b"# -*- coding: no-such-codec -*-\nx = 1\n", "cannot decode the file"),
    # Syntax newer than the running Python is parsed with LibCST's grammar, and linted.
    "test_template_string.py": (b'name = "x"\ngreeting = t"hello {name}"\n\n\n' + UNMARKED.encode(), ["AIO101"]),
    "test_type_params.py": (b"type Pair[T] = tuple[T, T]\n\n\ndef first[T](p: Pair[T]) -> T:\n    return p[0]\n", []),
    # Deeper than CPython's parser allows: refused at once (LibCST would take minutes over some of them).
    "test_deep_parens.py": (b"x = " + b"(" * 5000 + b"1" + b")" * 5000 + b"\n", "too many nested parentheses"),
    "test_long_chain.py": (b"x = a" + b".b" * 5000 + b"\n", "nested too deeply"),
    "test_long_sum.py": (b"x = 1" + b" + 1" * 10000 + b"\n", "nested too deeply"),
    "test_deep_unary.py": (b"x = " + b"-" * 20000 + b"1\n", "nested too deeply"),
    # Small files can be as deep (LibCST's stack overflows on 2,900 nested brackets, ending the process).
    "test_small_deep_parens.py": (b"x = " + b"(" * 2900 + b"1" + b")" * 2900 + b"\n", "too many nested parentheses"),
    "test_nested_calls.py": (b"x = " + b"f(" * 900 + b")" * 900 + b"\n", "too many nested parentheses"),
    "test_chain_over_lines.py": (b"x = (1\n" + b"    + 1\n" * 5000 + b")\n", "nested too deeply"),
    # Deep, but within what Python accepts: linted.
    "test_nested_lists.py": (b"x = " + b"[" * 150 + b"]" * 150 + b"\n\n\n" + UNMARKED.encode(), ["AIO101"]),
    "dir with spaces/test_\u00e9t\u00e9 file.py": (UNMARKED.encode(), ["AIO101"]),
}
#: A 50,000-line module with an unmarked async test at its end.
BIG_LINES = 50_000


def _big_module() -> bytes:
    helpers = "".join(
        f"def helper_{index}(value):\n    return value + {index}\n\n\n" for index in range(BIG_LINES // 4)
    )
    return (helpers + UNMARKED).encode()


@pytest.fixture(scope="module")
def odd_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_project(tmp_path_factory.mktemp("odd"), PROJECT)
    tests = root / "tests"
    for name, (content, _) in ODD_FILES.items():
        (tests / name).parent.mkdir(parents=True, exist_ok=True)
        (tests / name).write_bytes(content)
    (tests / "test_big.py").write_bytes(_big_module())
    (tests / "test_good.py").write_text(UNMARKED, encoding="utf-8")
    # Links and special files: none may hang the run, crash it, or be followed in a loop.
    (tests / "test_broken_link.py").symlink_to("nowhere.py")
    (tests / "test_self_link.py").symlink_to("test_self_link.py")
    (tests / "test_device.py").symlink_to("/dev/zero")
    (tests / "loop").mkdir()
    (tests / "loop" / "up").symlink_to("..", target_is_directory=True)
    (tests / "test_linked_in.py").symlink_to(tests / "test_good.py")
    (tests / "folder_named.py").mkdir()
    os.mkfifo(tests / "test_pipe.py")
    return root


@pytest.fixture(scope="module")
def odd_report(odd_project: Path) -> dict[str, list[dict[str, object]]]:
    command = [sys.executable, "-m", "asynclint", "check", "--no-cache", "--format", "json", "tests"]
    done = subprocess.run(command, cwd=odd_project, capture_output=True, timeout=120, check=False)
    stderr = done.stderr.decode()
    assert "Traceback" not in stderr, stderr
    assert done.returncode == 2, stderr  # the AIO001 files
    assert stderr == "", stderr  # no internal error
    by_file: dict[str, list[dict[str, object]]] = {}
    for finding in json.loads(done.stdout):
        by_file.setdefault(finding["path"], []).append(finding)
    return by_file


@pytest.mark.parametrize("name", list(ODD_FILES))
def test_odd_file(name: str, odd_report: dict[str, list[dict[str, object]]]) -> None:
    _, expected = ODD_FILES[name]
    found = odd_report.get(f"tests/{name}", [])
    if isinstance(expected, str):
        assert [f["code"] for f in found] == ["AIO001"], found
        assert expected in str(found[0]["message"]), found[0]["message"]
    else:
        assert [f["code"] for f in found] == expected, found


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("test_broken_link.py", "the symbolic link points to 'nowhere.py', which does not exist"),
        ("test_self_link.py", "the symbolic link to 'test_self_link.py' loops back on itself"),
        ("test_device.py", "it is a character device, not a regular file"),
        ("test_pipe.py", "it is a named pipe, not a regular file"),
    ],
)
def test_links_and_special_files_are_aio001(
    name: str, reason: str, odd_report: dict[str, list[dict[str, object]]]
) -> None:
    found = odd_report.get(f"tests/{name}", [])
    assert [f["code"] for f in found] == ["AIO001"], found
    assert f"cannot read the file: {reason}" == found[0]["message"]


def test_the_rest_of_the_run_goes_on(odd_report: dict[str, list[dict[str, object]]]) -> None:
    assert [f["code"] for f in odd_report["tests/test_good.py"]] == ["AIO101"]
    # A link to a file already linted is the same file: linted once.
    assert "tests/test_linked_in.py" not in odd_report
    big = odd_report["tests/test_big.py"]
    assert [(f["code"], f["line"]) for f in big] == [("AIO101", BIG_LINES + 4)]
    assert not any(name.startswith("tests/loop/") for name in odd_report)


def _check_as_nobody(root: Path) -> RunResult:
    """Lint `root` in a child process that runs as `nobody`, for whom the unreadable file is unreadable (root
    reads every file). Everything is imported before the child drops its rights: it may not read them again."""
    check_paths([root], CheckOptions(jobs=1, no_cache=True), cwd=root)  # loads every module the run uses
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        try:
            os.close(reader)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            result = check_paths([root], CheckOptions(jobs=1, no_cache=True), cwd=root)
            with os.fdopen(writer, "wb") as stream:
                pickle.dump(result, stream)
        finally:
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as stream:
        data = stream.read()
    os.waitpid(child, 0)
    assert data, "the child process failed"
    result = pickle.loads(data)
    assert isinstance(result, RunResult)
    return result


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_unreadable_file_is_aio001(tmp_path_factory: pytest.TempPathFactory) -> None:
    # A folder everyone may enter: tmp_path's own parents are private to their owner.
    root = Path(tmp_path_factory.getbasetemp()) / "unreadable"
    shutil.rmtree(root, ignore_errors=True)
    write_project(root, {**PROJECT, "tests/test_good.py": UNMARKED, "tests/test_secret.py": UNMARKED})
    for folder in (root, *root.parents):
        if folder == Path("/"):
            break
        os.chmod(folder, os.stat(folder).st_mode | 0o005)
    (root / "tests" / "test_secret.py").chmod(0)
    result = _check_as_nobody(root) if os.geteuid() == 0 else check_paths([root], CheckOptions(jobs=1), cwd=root)
    found = {(d.path, d.code, d.message) for d in result.diagnostics}
    assert found == {
        ("tests/test_good.py", "AIO101", next(d.message for d in result.diagnostics if d.code == "AIO101")),
        ("tests/test_secret.py", "AIO001", "cannot read the file: Permission denied"),
    }
    assert not result.internal_errors


def test_a_named_pipe_given_by_name_is_aio001_not_skipped(odd_project: Path) -> None:
    pipe = odd_project / "tests" / "test_pipe.py"
    result = check_paths([pipe], CheckOptions(jobs=1, no_cache=True), cwd=odd_project)
    assert [(d.path, d.message) for d in result.diagnostics] == [
        ("tests/test_pipe.py", "cannot read the file: it is a named pipe, not a regular file")
    ]


@pytest.mark.parametrize("branches", [600, 3000])
def test_a_long_elif_chain_is_linted_and_fixed(tmp_path: Path, branches: int) -> None:
    """Valid Python nested deeper than the recursion limit allows (each `elif` sits in the previous `orelse`):
    LibCST renders it recursively; the file is still linted, positioned and fixed, in every format."""
    chain = "".join(f"    elif x == {index}:\n        pass\n" for index in range(1, branches))
    source = (
        "import asyncio\n\n\nasync def test_chain():\n    x = 1\n    if x == 0:\n        pass\n"
        f"{chain}    asyncio.sleep(1)\n"
    )
    project = write_project(tmp_path, {**PROJECT, "tests/test_chain.py": source})
    last_line = source.count("\n")
    reported = run_asynclint(project, "--format", "json", "tests")
    assert [(d["code"], d["line"]) for d in json.loads(reported.stdout)] == [("AIO101", 4), ("AIO201", last_line)]
    fixed = run_asynclint(project, "--fix", "tests")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (project / "tests/test_chain.py").read_text(encoding="utf-8").endswith("    await asyncio.sleep(1)\n")


def test_an_error_whose_message_cannot_be_made_is_still_described() -> None:
    """A `KeyError` of a deep LibCST node fails to print; the internal error still says what it was."""

    class Unprintable(Exception):
        def __str__(self) -> str:
            raise RecursionError

    assert describe_error(Unprintable()) == "Unprintable"
    assert describe_error(KeyError("x" * 1000)).startswith("KeyError: 'xxx")
    assert len(describe_error(KeyError("x" * 1000))) < 320
