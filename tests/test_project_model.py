"""The project model: fixture resolution in pytest's order, ownership signals, and picklability."""

from __future__ import annotations

import pickle
from pathlib import Path

import libcst as cst

from asynclint.model.collection import FileModel, FileModelBuilder, Owner
from asynclint.model.project import build_project
from asynclint.model.reader import read_module
from tests.helpers import write_project

REQUIREMENTS = {"requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\nanyio==4.16.0\n"}


def model_for(root: Path, files: dict[str, str], test_file: str = "tests/test_x.py") -> FileModel:
    write_project(root, {**REQUIREMENTS, **files})
    path = (root / test_file).resolve()
    project = build_project([path])
    summary, _ = read_module(cst.parse_module(path.read_bytes()), str(path))
    return FileModelBuilder(project).build(path, summary)


def owner_of(model: FileModel, name: str) -> Owner:
    return next(item.owner for item in model.iter_tests() if item.function.name == name)


CONFTEST = """
import pytest

@pytest.fixture
def anyio_backend():
    return "asyncio"

@pytest.fixture
def db(anyio_backend):
    return 1

@pytest.fixture
def plain():
    return 2
"""


def test_override_chain_and_nearest_definition(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "tests/conftest.py": CONFTEST,
        "tests/test_x.py": (
            "import pytest\n\n@pytest.fixture\ndef db(db):\n    return db\n\n"
            "@pytest.fixture\ndef plain():\n    return 3\n\n"
            "async def test_overridden_db(db):\n    pass\n\n"
            "async def test_overridden_plain(plain):\n    pass\n"
        ),
    }
    model = model_for(tmp_path, files)
    # the module's `db` requests the conftest's `db`, which requests anyio_backend: anyio runs the test
    assert owner_of(model, "test_overridden_db") is Owner.ANYIO
    assert owner_of(model, "test_overridden_plain") is Owner.PYTEST_ASYNCIO
    definitions = model.fixtures.definitions("plain")
    assert [Path(d.path).name for d in definitions] == ["test_x.py", "conftest.py"]


def test_autouse_and_usefixtures_count(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "tests/conftest.py": CONFTEST + "\n@pytest.fixture(autouse=True)\ndef always(anyio_backend):\n    pass\n",
        "tests/test_x.py": "async def test_autouse():\n    pass\n",
        "other/test_y.py": (
            "import pytest\n\n@pytest.mark.usefixtures('anyio_backend')\nasync def test_y():\n    pass\n"
        ),
    }
    assert owner_of(model_for(tmp_path, files), "test_autouse") is Owner.ANYIO
    assert owner_of(model_for(tmp_path, {}, "other/test_y.py"), "test_y") is Owner.ANYIO


def test_class_fixtures_are_nearest(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "tests/conftest.py": CONFTEST,
        "tests/test_x.py": (
            "import pytest\n\nclass TestA:\n    @pytest.fixture\n    def db(self):\n        return 0\n\n"
            "    async def test_method(self, db):\n        pass\n\n"
            "async def test_function(db):\n    pass\n"
        ),
    }
    model = model_for(tmp_path, files)
    assert owner_of(model, "test_method") is Owner.PYTEST_ASYNCIO
    assert owner_of(model, "test_function") is Owner.ANYIO


def test_getfixturevalue_makes_the_owner_unknown(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "tests/conftest.py": (
            "import pytest\n\n@pytest.fixture\ndef dyn(request):\n    return request.getfixturevalue('x')\n"
        ),
        "tests/test_x.py": "async def test_dynamic(dyn):\n    pass\n",
    }
    assert owner_of(model_for(tmp_path, files), "test_dynamic") is Owner.UNKNOWN


def test_conftest_outside_the_linted_paths_and_plugin_modules(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "conftest.py": "pytest_plugins = ['support.plugin']\n",
        "support/__init__.py": "",
        "support/plugin.py": "import pytest\n\n@pytest.fixture\ndef client(anyio_backend):\n    return 1\n",
        "tests/unit/test_x.py": "async def test_plugin_fixture(client):\n    pass\n",
    }
    model = model_for(tmp_path, files, "tests/unit/test_x.py")
    assert owner_of(model, "test_plugin_fixture") is Owner.ANYIO
    assert model.directory.conftests == (str((tmp_path / "conftest.py").resolve()),)


def test_model_is_picklable(tmp_path: Path) -> None:
    files = {
        "pytest.ini": "[pytest]\n",
        "tests/conftest.py": CONFTEST,
        "tests/test_x.py": "async def test_a(db):\n    pass\n",
    }
    model = model_for(tmp_path, files)
    assert pickle.loads(pickle.dumps(model)) == model
    project = build_project([tmp_path / "tests" / "test_x.py"])
    assert pickle.loads(pickle.dumps(project)) == project
