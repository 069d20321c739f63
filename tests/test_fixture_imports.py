"""Fixtures a module imports are that module's fixtures, as pytest registers them: by name, under an alias,
with `import *` (public names only), relatively, and through a chain of modules."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run, write_project

CONFIG = {
    "pytest.ini": "[pytest]\nasyncio_mode = strict\nasyncio_default_fixture_loop_scope = function\n",
    "requirements-dev.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
    "app.py": "class Client:\n    async def close(self):\n        pass\n",
    "tests/__init__.py": "",
    "tests/library.py": (
        "import pytest\n\nfrom app import Client\n\n\n"
        "@pytest.fixture\ndef client():\n    return Client()\n\n\n"
        "@pytest.fixture\ndef _private_client():\n    return Client()\n"
    ),
}
TEST = "def test_close({name}):\n    {name}.close()\n"


def findings(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int, str]]:
    project = write_project(tmp_path, {**CONFIG, **files})
    result = run([project / "tests"], cwd=project, select=["AIO203"])
    assert not result.internal_errors
    return [(Path(d.path).name, d.line, d.code) for d in result.diagnostics]


def test_a_fixture_imported_by_name(tmp_path: Path) -> None:
    module = "from tests.library import client\n\n\n" + TEST.format(name="client")
    assert findings(tmp_path, {"tests/test_a.py": module}) == [("test_a.py", 5, "AIO203")]


def test_an_aliased_import_registers_the_fixture_under_its_own_name(tmp_path: Path) -> None:
    module = "from tests.library import client as _client\n\n\n" + TEST.format(name="client")
    assert findings(tmp_path, {"tests/test_a.py": module}) == [("test_a.py", 5, "AIO203")]


def test_a_relative_star_import_in_a_conftest(tmp_path: Path) -> None:
    files = {
        "tests/conftest.py": "from .library import *  # noqa: F403\n",
        "tests/test_a.py": TEST.format(name="client")
        + "\n\n"
        + TEST.format(name="_private_client").replace("test_close", "test_private"),
    }
    # `import *` skips names starting with an underscore: `_private_client` is no fixture there.
    assert findings(tmp_path, files) == [("test_a.py", 2, "AIO203")]


def test_a_chain_of_modules(tmp_path: Path) -> None:
    files = {
        "tests/fixtures/__init__.py": "from tests.library import *  # noqa: F403\n",
        "tests/test_a.py": "from tests.fixtures import client\n\n\n" + TEST.format(name="client"),
    }
    assert findings(tmp_path, files) == [("test_a.py", 5, "AIO203")]


def test_a_fixture_the_module_defines_itself_wins(tmp_path: Path) -> None:
    module = (
        "import pytest\n\nfrom tests.library import *  # noqa: F403\n\n\n"
        "@pytest.fixture\ndef client():\n    return object()\n\n\n" + TEST.format(name="client")
    )
    assert findings(tmp_path, {"tests/test_a.py": module}) == []


def test_an_import_of_a_module_without_fixtures_adds_nothing(tmp_path: Path) -> None:
    module = "from app import Client\n\n\n" + TEST.format(name="client")
    assert findings(tmp_path, {"tests/test_a.py": module}) == []
