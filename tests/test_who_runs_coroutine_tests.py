"""Who runs a coroutine test, whoever the candidate is: hooks that run tests (`pytest_pyfunc_call` in a `-p`
plugin, a conftest, a `pytest_plugins` module, imported or on a registered object), plugins that run every
coroutine test or only marked ones, anyio's plugin, or nobody at all. Each project here is what the oracle ran
(pytest 7.4 to 9.2, with and without pytest-asyncio, anyio 4.11 and 4.16, pytest-trio, pytest-tornado...).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from asynclint.api import RunResult
from asynclint.diagnostics import Applicability, Diagnostic
from tests.helpers import run, run_asynclint, write_project

PINS = "pytest==8.4.2\npytest-asyncio==1.2.0\n"
STRICT = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
UNMARKED = "import pytest\n\n\nasync def test_fetch():\n    pass\n"
#: A lock file listing every package of a project: pytest and a dependency of its (see `lock`).
LOCK = (
    'version = 1\n\n[[package]]\nname = "pytest"\nversion = "{pytest}"\n\n'
    '[[package]]\nname = "pluggy"\nversion = "1.6.0"\n'
)
RUNNER = (
    "import asyncio\nimport inspect\n\n\ndef pytest_pyfunc_call(pyfuncitem):\n"
    "    if not inspect.iscoroutinefunction(pyfuncitem.obj):\n        return None\n"
    "    funcargs = pyfuncitem.funcargs\n"
    "    asyncio.run(pyfuncitem.obj(**{n: funcargs[n] for n in pyfuncitem._fixtureinfo.argnames}))\n"
    "    return True\n"
)


def lint(root: Path, files: dict[str, str], **options: object) -> RunResult:
    write_project(root, files)
    result = run([root], cwd=root, **options)
    assert not result.internal_errors, result.internal_errors
    return result


def findings(root: Path, files: dict[str, str], code: str) -> list[Diagnostic]:
    return [d for d in lint(root, files).diagnostics if d.code == code]


def lock(*packages: tuple[str, str], pytest_version: str = "8.3.5") -> str:
    text = LOCK.format(pytest=pytest_version)
    return text + "".join(f'\n[[package]]\nname = "{name}"\nversion = "{version}"\n' for name, version in packages)


# -- 1. hooks that run tests ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {"pytest.ini": f"{STRICT}addopts = -p support.runner\npythonpath = .\n", "support/runner.py": RUNNER},
            id="-p plugin in addopts",
        ),
        pytest.param(
            {"tests/conftest.py": "pytest_plugins = ['support.runner']\n", "support/runner.py": RUNNER},
            id="pytest_plugins module",
        ),
        pytest.param({"tests/conftest.py": RUNNER}, id="conftest"),
        pytest.param(
            {
                "pytest.ini": f"{STRICT}pythonpath = .\n",
                "tests/conftest.py": "from support.runner import pytest_pyfunc_call  # noqa: F401\n",
                "support/runner.py": RUNNER,
            },
            id="hook imported into a conftest",
        ),
        pytest.param(
            {
                "tests/conftest.py": (
                    "import asyncio\nimport inspect\n\n\nclass Runner:\n"
                    "    def pytest_pyfunc_call(self, pyfuncitem):\n"
                    "        if inspect.iscoroutinefunction(pyfuncitem.obj):\n"
                    "            asyncio.run(pyfuncitem.obj())\n            return True\n\n\n"
                    "def pytest_configure(config):\n    config.pluginmanager.register(Runner())\n"
                )
            },
            id="hook of an object a conftest registers",
        ),
    ],
)
def test_a_hook_that_runs_coroutine_tests_silences_aio101(tmp_path: Path, files: dict[str, str]) -> None:
    # observed (pytest-asyncio 0.21.2/pytest 7.4.4, 1.2.0/8.4.2, 1.5.0/9.2.0): the hook runs the unmarked test
    base = {"pytest.ini": STRICT, "requirements.txt": PINS, "support/__init__.py": "", "tests/test_x.py": UNMARKED}
    assert findings(tmp_path, {**base, **files}, "AIO101") == []


def test_a_plugin_without_a_call_hook_leaves_aio101(tmp_path: Path) -> None:
    plugin = "def pytest_configure(config):\n    config.addinivalue_line('markers', 'slow: slow')\n"
    files = {
        "pytest.ini": f"{STRICT}addopts = -p support.plugin\npythonpath = .\n",
        "requirements.txt": PINS,
        "support/__init__.py": "",
        "support/plugin.py": plugin,
        "tests/test_x.py": UNMARKED,
    }
    assert len(findings(tmp_path, files, "AIO101")) == 1


def test_a_p_plugins_fixtures_are_the_projects(tmp_path: Path) -> None:
    # a fixture of a `-p` plugin that requests `anyio_backend`: anyio runs the tests that use it
    plugin = "import pytest\n\n\n@pytest.fixture\ndef client(anyio_backend):\n    return anyio_backend\n"
    files = {
        "pytest.ini": f"{STRICT}addopts = -p support.fixtures\npythonpath = .\n",
        "requirements.txt": f"{PINS}anyio==4.16.0\n",
        "support/__init__.py": "",
        "support/fixtures.py": plugin,
        "tests/test_x.py": "async def test_fetch(client):\n    pass\n",
    }
    assert findings(tmp_path, files, "AIO101") == []


def test_pytest_asyncios_own_plugin_module_is_not_read_as_the_projects(tmp_path: Path) -> None:
    # pytest-asyncio's own repository: its `pytest_pyfunc_call` is what asynclint models, not an unknown hook
    files = {
        "pytest.ini": f"{STRICT}addopts = -p pytest_asyncio.plugin\n",
        "requirements.txt": PINS,
        "pytest_asyncio/__init__.py": "",
        "pytest_asyncio/plugin.py": RUNNER,
        "tests/test_x.py": UNMARKED,
    }
    assert len(findings(tmp_path, files, "AIO101")) == 1


# -- 2. plugins that run coroutine tests ------------------------------------------------------------------


@pytest.mark.parametrize(
    "requirement",
    ["pytest-sanic==1.9.1", "pytest-tornasync==0.6.0.post2", "pytest-aio==2.1.7", "pytest-twisted==1.14.3"],
)
def test_a_plugin_that_runs_every_coroutine_test(tmp_path: Path, requirement: str) -> None:
    # observed with pytest-asyncio 1.2.0 and pytest 8.4.2 beside it: the unmarked test's body runs
    files = {"pytest.ini": STRICT, "requirements.txt": f"{PINS}{requirement}\n", "tests/test_x.py": UNMARKED}
    assert findings(tmp_path, files, "AIO101") == []


def test_pytest_jupyter_loaded_through_pytest_plugins(tmp_path: Path) -> None:
    files = {
        "pytest.ini": STRICT,
        "requirements.txt": PINS,
        "tests/conftest.py": "pytest_plugins = ['pytest_jupyter.jupyter_server']\n",
        "tests/test_x.py": UNMARKED,
    }
    assert findings(tmp_path, files, "AIO101") == []


@pytest.mark.parametrize(
    ("requirement", "mark", "words"),
    [
        (
            "pytest-tornado==0.8.1",
            "gen_test",
            "pytest-tornado 0.8.1 (from a pin in requirements.txt) runs only tests marked `gen_test`",
        ),
        ("pytest-curio==1.1.0", "curio", "runs only tests marked `curio`"),
        ("pytest-asyncio-cooperative==0.40.0", "asyncio_cooperative", "runs only tests marked `asyncio_cooperative`"),
        ("pytest-trio==0.8.0", "trio", "runs only tests marked `trio` (`trio_mode = true` is not set)"),
    ],
)
def test_a_plugin_that_runs_only_marked_tests(tmp_path: Path, requirement: str, mark: str, words: str) -> None:
    # observed: the unmarked test fails with "async def functions are not natively supported" (pytest 8.4.2)
    marked = f"import pytest\n\n\n@pytest.mark.{mark}\nasync def test_marked():\n    pass\n"
    files = {
        "pytest.ini": "[pytest]\n",
        "requirements.txt": f"pytest==8.4.2\n{requirement}\n",
        "tests/test_x.py": UNMARKED,
        "tests/test_marked.py": marked,
    }
    (finding,) = findings(tmp_path, files, "AIO101")
    assert finding.path == "tests/test_x.py"
    assert words in finding.message
    assert 'pytest 8.4.2 fails it with "async def functions are not natively supported"' in finding.message
    assert finding.fix is None


# -- 3. an async test nobody runs -------------------------------------------------------------------------


def test_anyio_without_a_mark(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "requirements.txt": "pytest==8.3.5\nanyio==4.16.0\n",
        "tests/test_x.py": UNMARKED,
    }
    (finding,) = findings(tmp_path, files, "AIO101")
    assert finding.message == (
        "async test `test_fetch` is run by no plugin: anyio 4.16.0 (from a pin in requirements.txt) runs only tests "
        "marked `anyio` or using the `anyio_backend` fixture (`anyio_mode = auto` is not set): pytest 8.3.5 skips it "
        'with "async def functions are not natively supported", so its body never runs'
    )
    # anyio's own `anyio_backend` runs every backend: the test would run on trio too where trio is installed
    assert finding.fix is not None and finding.fix.applicability is Applicability.UNSAFE
    assert finding.fix.title == "Add `@pytest.mark.anyio`"


@pytest.mark.parametrize(
    ("backend", "safe"),
    [
        ("@pytest.fixture\ndef anyio_backend():\n    return 'asyncio'\n", True),
        ("@pytest.fixture(params=['asyncio', 'trio'])\ndef anyio_backend(request):\n    return request.param\n", False),
        ("@pytest.fixture\ndef anyio_backend():\n    return BACKEND\n", False),
    ],
)
def test_the_anyio_mark_is_safe_where_the_project_names_one_backend(tmp_path: Path, backend: str, safe: bool) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "requirements.txt": "pytest==8.4.2\nanyio==4.16.0\n",
        "tests/conftest.py": f"import pytest\n\n\n{backend}",
        "tests/test_x.py": UNMARKED,
    }
    (finding,) = findings(tmp_path, files, "AIO101")
    assert finding.fix is not None
    assert finding.fix.applicability is (Applicability.SAFE if safe else Applicability.UNSAFE)


def test_the_anyio_fix_makes_anyio_run_the_test(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "requirements.txt": "pytest==8.4.2\nanyio==4.16.0\n",
        "tests/conftest.py": "import pytest\n\n\n@pytest.fixture\ndef anyio_backend():\n    return 'asyncio'\n",
        "tests/test_x.py": UNMARKED,
    }
    write_project(tmp_path, files)
    done = run_asynclint(tmp_path, "--fix", ".")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "tests/test_x.py").read_text() == (
        "import pytest\n\n\n@pytest.mark.anyio\nasync def test_fetch():\n    pass\n"
    )


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param({"pytest.ini": "[pytest]\nanyio_mode = auto\n"}, id="anyio auto mode"),
        pytest.param({"tests/test_x.py": "async def test_fetch(anyio_backend):\n    pass\n"}, id="anyio_backend"),
        pytest.param({"tests/conftest.py": RUNNER}, id="a conftest hook"),
        pytest.param({"pytest.ini": "[pytest]\naddopts = -p our_plugins.loop\n"}, id="a plugin asynclint cannot read"),
        pytest.param({"requirements.txt": "pytest==8.4.2\nanyio==4.16.0\npytest-foo==1.0\n"}, id="an unknown plugin"),
        pytest.param({"tox.ini": "[testenv]\ncommands = pytest --asyncio-mode=auto\n"}, id="mode on the command line"),
        pytest.param(
            {"tests/test_x.py": "async def test_fetch(jp_fetch):\n    pass\n"},
            id="a fixture of a plugin it does not know",
        ),
    ],
)
def test_anyio_projects_where_something_may_run_it(tmp_path: Path, extra: dict[str, str]) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "requirements.txt": "pytest==8.4.2\nanyio==4.16.0\n",
        "tests/test_x.py": UNMARKED,
    }
    assert findings(tmp_path, {**files, **extra}, "AIO101") == []


def test_parametrized_arguments_are_not_plugin_fixtures(tmp_path: Path) -> None:
    module = (
        "import pytest\n\n\n@pytest.mark.parametrize('value, expected', [(1, 1)])\n"
        "async def test_fetch(value, expected, tmp_path, monkeypatch):\n    pass\n"
    )
    files = {
        "pytest.ini": "[pytest]\n",
        "requirements.txt": "pytest==8.4.2\nanyio==4.16.0\n",
        "tests/test_x.py": module,
    }
    assert len(findings(tmp_path, files, "AIO101")) == 1


def test_p_no_asyncio_with_anyio(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\naddopts = -p no:asyncio\n",
        "requirements.txt": f"{PINS}anyio==4.16.0\n",
        "tests/test_x.py": UNMARKED,
    }
    (finding,) = findings(tmp_path, files, "AIO101")
    assert "anyio 4.16.0" in finding.message


def test_no_plugin_in_the_lock_file(tmp_path: Path) -> None:
    # observed with pytest alone: 8.3.5 skips the test, 8.4.2 and 9.2.0 fail it
    files = {
        "pyproject.toml": "[project]\nname = 'app'\nversion = '0'\n",
        "uv.lock": lock(),
        "tests/test_x.py": UNMARKED,
    }
    (finding,) = findings(tmp_path, files, "AIO101")
    assert finding.message == (
        "async test `test_fetch` is run by no plugin: no plugin that runs coroutine tests is installed (uv.lock lists "
        'none): pytest 8.3.5 skips it with "async def functions are not natively supported", so its body never runs'
    )
    assert finding.fix is None


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({"requirements.txt": "pytest==8.4.2\n"}, id="declared dependencies only"),
        pytest.param({"uv.lock": lock(("pytest-foo", "1.0"))}, id="an unknown plugin in the lock"),
        pytest.param({"uv.lock": lock(), "pytest.ini": "[pytest]\naddopts = -p no:asyncio\n"}, id="-p no:asyncio"),
    ],
)
def test_no_finding_where_a_plugin_may_be_there(tmp_path: Path, files: dict[str, str]) -> None:
    base = {"pyproject.toml": "[project]\nname = 'app'\nversion = '0'\n", "tests/test_x.py": UNMARKED}
    assert findings(tmp_path, {**base, **files}, "AIO101") == []


def test_inert_plugins_in_the_lock_file(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'app'\nversion = '0'\n",
        "uv.lock": lock(("pytest-cov", "6.0.0"), ("pytest-xdist", "3.6.1"), ("pytest-asyncio", "1.2.0")),
        "pytest.ini": "[pytest]\naddopts = -p no:asyncio -p pytester\n",
        "tests/test_x.py": UNMARKED,
    }
    # pytest-asyncio is turned off: with nothing else to run it, `-p no:asyncio` stays silent (something the
    # project knows of runs its coroutine tests)
    assert findings(tmp_path, files, "AIO101") == []
    files["pytest.ini"] = "[pytest]\naddopts = -p pytester\n"
    files["uv.lock"] = lock(("pytest-cov", "6.0.0"), ("pytest-xdist", "3.6.1"))
    assert len(findings(tmp_path, files, "AIO101")) == 1


# -- 4. a sync test requesting an async fixture, whatever the plugin -----------------------------------------

FIXTURE_MODULE = (
    "import pytest\n\n\n@pytest.fixture\nasync def token():\n    return 'abc'\n\n\n"
    "def test_token(token):\n    assert token == 'abc'\n\n\n"
    "def test_token_with_backend(token, anyio_backend):\n    assert token == 'abc'\n"
)


def test_aio302_under_anyio(tmp_path: Path) -> None:
    # observed (anyio 4.16.0, pytest 8.4.2 and 9.2.0): a coroutine object, then a setup error on pytest 9;
    # the test that also requests `anyio_backend` gets the value
    files = {
        "pytest.ini": "[pytest]\n",
        "requirements.txt": "pytest==9.2.0\nanyio==4.16.0\n",
        "tests/test_x.py": FIXTURE_MODULE,
    }
    (finding,) = findings(tmp_path, files, "AIO302")
    assert finding.message == (
        "sync test `test_token` requests async fixture `token`, which nothing runs for it: anyio 4.16.0 (from a pin "
        "in requirements.txt) runs async fixtures only for the tests it runs (tests marked `anyio` or using the "
        '`anyio_backend` fixture): the test errors in setup on pytest 9.2.0 with "requested an async fixture ... '
        'with no plugin or hook that handled it"'
    )
    assert "pytest-asyncio" not in finding.message
    assert finding.fix is None


def test_aio302_with_no_plugin(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'app'\nversion = '0'\n",
        "uv.lock": lock(pytest_version="8.4.2"),
        "tests/test_x.py": FIXTURE_MODULE.split("\n\n\ndef test_token_with_backend")[0] + "\n",
    }
    (finding,) = findings(tmp_path, files, "AIO302")
    assert finding.message == (
        "sync test `test_token` requests async fixture `token`, which nothing runs: no plugin that runs coroutine "
        "tests is installed (uv.lock lists none): the test gets a coroutine object instead of its value, and "
        'pytest 8.4.2 warns that the test "requested an async fixture ... with no plugin or hook that handled it"'
    )


def test_aio302_stays_silent_where_fixtures_may_be_run(tmp_path: Path) -> None:
    base = {"pytest.ini": "[pytest]\n", "tests/test_x.py": FIXTURE_MODULE}
    # pytest-tornado's handling of fixtures for sync tests was not observed: nothing is concluded
    assert (
        findings(tmp_path / "tornado", {**base, "requirements.txt": "pytest==9.2.0\npytest-tornado==0.8.1\n"}, "AIO302")
        == []
    )
    assert findings(tmp_path / "declared", {**base, "requirements.txt": "pytest==9.2.0\n"}, "AIO302") == []


# -- 5. one mistake, one finding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module",
    [
        "import pytest\n\n\n@pytest.mark.asycnio\nasync def test_fetch():\n    pass\n",
        "import pytest\n\npytestmark = pytest.mark.asyncios\n\n\nasync def test_fetch():\n    pass\n",
        "import pytest\n\n\n@pytest.mark.asyncios\nclass TestFetch:\n    async def test_fetch(self):\n        pass\n",
    ],
)
def test_a_misspelled_mark_is_one_finding_with_one_fix(tmp_path: Path, module: str) -> None:
    files = {"pytest.ini": STRICT, "requirements.txt": PINS, "tests/test_x.py": module}
    assert [d.code for d in lint(tmp_path, files).diagnostics] == ["AIO105"]
    done = run_asynclint(tmp_path, "--fix", ".")
    assert done.returncode == 0, done.stdout + done.stderr
    fixed = (tmp_path / "tests/test_x.py").read_text()
    assert fixed.count("asyncio") == 1 and "asycnio" not in fixed and "asyncios" not in fixed


def test_a_misspelled_mark_in_auto_mode_says_the_test_runs(tmp_path: Path) -> None:
    # observed (1.5.0/9.2.0, auto mode): the body of a test under `@pytest.mark.asyncios` runs
    module = "import pytest\n\n\n@pytest.mark.asycnio(loop_scope='module')\nasync def test_fetch():\n    pass\n"
    files = {"pytest.ini": f"{STRICT}asyncio_mode = auto\n", "requirements.txt": PINS, "tests/test_x.py": module}
    (finding,) = lint(tmp_path, files).diagnostics
    assert finding.code == "AIO105"
    assert finding.message.endswith(
        "pytest sees an unknown mark and pytest-asyncio runs the test only because auto mode runs every coroutine "
        "test, without what the mark's arguments say"
    )


# -- 6. an async fixture reached through another fixture -------------------------------------------------------


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param({"tests/conftest.py": "{token}\n\n{header}"}, id="same conftest"),
        pytest.param({"tests/conftest.py": "{token}", "tests/api/conftest.py": "{header}"}, id="conftest below"),
    ],
)
def test_aio301_through_a_sync_fixture(tmp_path: Path, layout: dict[str, str]) -> None:
    token = "import pytest\n\n\n@pytest.fixture\nasync def token():\n    return 'abc'\n"
    header = "import pytest\n\n\n@pytest.fixture\ndef header(token):\n    return {'auth': token}\n"
    files = {path: text.format(token=token, header=header) for path, text in layout.items()}
    files.update(
        {
            "pytest.ini": STRICT,
            "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
            "tests/api/test_x.py": "def test_header(header):\n    assert header['auth'] == 'abc'\n",
        }
    )
    (finding,) = findings(tmp_path, files, "AIO301")
    assert finding.path == "tests/conftest.py"
    # observed (1.5.0/9.2.0): "requested an async fixture" in setup; 1.2.0/8.4.2: `header` holds a coroutine
    assert finding.message.endswith(
        '`test_header` (test_x.py) errors in setup on pytest 9.2.0 with "requested an async fixture ... with no '
        'plugin or hook that handled it"'
    )
    files["requirements.txt"] = PINS
    (finding,) = findings(tmp_path, files, "AIO301")
    assert "the fixture `header` gets a coroutine object instead of its value, so `test_header`" in finding.message


def test_cli_reports_an_unrun_anyio_test(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "requirements.txt": "pytest==8.4.2\nanyio==4.16.0\n",
        "tests/test_x.py": UNMARKED,
    }
    write_project(tmp_path, files)
    done: subprocess.CompletedProcess[str] = run_asynclint(tmp_path, ".")
    assert done.returncode == 1
    assert "tests/test_x.py:4:1: AIO101 async test `test_fetch` is run by no plugin: anyio 4.16.0" in done.stdout
