"""Templates (cookiecutter, copier: Jinja) are not Python until rendered: they never fail a run.

Folders and files named by a placeholder are skipped; a file that does not parse because of Jinja syntax is not
checked and is said once on standard error; a template that parses is linted; any other syntax error stays
AIO001 with exit status 2.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_asynclint, write_project

PROJECT = {
    "pytest.ini": "[pytest]\nasyncio_default_fixture_loop_scope = function\n",
    "requirements.txt": "pytest==9.2.0\npytest-asyncio==1.5.0\n",
}
UNMARKED = "import pytest\n\n\nasync def test_fetch():\n    assert True\n"
SLUG = "{{cookiecutter.project_slug}}"
TEMPLATE = {
    f"{SLUG}/pyproject.toml": (
        '[project]\nname = "{{ cookiecutter.project_slug }}"\n{% if cookiecutter.asyncio %}\n'
        '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n{% endif %}\n'
    ),
    f"{SLUG}/tests/test_app.py": "import {{ cookiecutter.module }}\n\n\nasync def test_app():\n    pass\n",
    f"{SLUG}/tests/test_unmarked.py": UNMARKED,
    "tests/test_{{ cookiecutter.slug }}.py": UNMARKED,
}


def test_template_folders_are_skipped(tmp_path: Path) -> None:
    write_project(tmp_path, {**PROJECT, **TEMPLATE, "tests/test_real.py": UNMARKED})
    done = run_asynclint(tmp_path, ".")
    assert done.returncode == 1, done.stdout + done.stderr
    (finding, summary) = done.stdout.splitlines()
    assert finding.startswith("tests/test_real.py:4:1: AIO101")
    assert summary.startswith("Found 1 finding")
    assert done.stderr == ""


def test_a_file_with_jinja_syntax_is_not_checked_and_no_error(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            **PROJECT,
            "tests/test_render.py": (
                '{% if cookiecutter.use_asyncio == "y" %}\nimport pytest\n{% endif %}\n\n\n'
                'def test_render():\n    assert "{{ cookiecutter.project_slug }}"\n'
            ),
            "tests/test_import.py": "import {{ cookiecutter.module }}\n",
            "tests/test_comment.py": "{# rendered by cookiecutter #}\nimport os\n",
            # `{{ x }}` as an argument is Python (a set in a set): the parser stops only at the closing bracket.
            "tests/test_argument.py": (
                "crawler = Crawler(\n    headless=True,\n    {{ self.client_instantiation() }}\n)\n"
            ),
        },
    )
    done = run_asynclint(tmp_path, ".")
    assert (done.returncode, done.stdout) == (0, "All checks passed!\n")
    assert done.stderr == (
        "warning: not checked: 4 files are templates (Jinja's `{{ }}` or `{% %}` where Python expects code; "
        "Python only once rendered): tests/test_argument.py, tests/test_comment.py, tests/test_import.py and 1 "
        "more\n"
    )


def test_a_template_that_parses_is_linted(tmp_path: Path) -> None:
    module = 'import pytest\n\nNAME = "{{ cookiecutter.project_slug }}"\n\n\nasync def test_name():\n    assert NAME\n'
    write_project(tmp_path, {**PROJECT, "tests/test_named.py": module})
    done = run_asynclint(tmp_path, ".")
    assert done.returncode == 1
    assert done.stdout.startswith("tests/test_named.py:6:1: AIO101")


def test_other_syntax_errors_stay_aio001(tmp_path: Path) -> None:
    write_project(
        tmp_path,
        {
            **PROJECT,
            # `{{` here is an f-string's escaped brace, and `#` a comment: the error is Python's own.
            "tests/test_fstring.py": 'x = f"{{literal}}" +\n',
            "tests/test_after.py": 'NAME = "{{ cookiecutter.name }}"\n\n\ndef test_a(:\n    pass\n',
            # A marker in an earlier statement, outside the brackets the parser stops in.
            "tests/test_earlier.py": "x = {{1}}\ncall(\n    a=1,\n    2,\n)\n",
        },
    )
    done = run_asynclint(tmp_path, "--format", "json", ".")
    assert done.returncode == 2
    assert done.stdout.count('"code": "AIO001"') == 3
    assert "template" not in done.stderr


def test_named_in_a_template_folder_with_force_exclude(tmp_path: Path) -> None:
    """pre-commit names each staged file; its hooks pass `--force-exclude`, which skips template folders."""
    write_project(tmp_path, {**PROJECT, **TEMPLATE})
    done = run_asynclint(tmp_path, "--force-exclude", f"{SLUG}/tests/test_unmarked.py", f"{SLUG}/tests/test_app.py")
    assert (done.returncode, done.stdout, done.stderr) == (0, "All checks passed!\n", "")
