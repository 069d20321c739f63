"""The README's snippets work as written: its YAML parses, it names the current release everywhere a version
appears (pre-commit's `rev:`, the Action's `uses:`, the git URL), its hooks exist, and the changelog has the
release the package says it is."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import yaml

from asynclint import __version__

PROJECT_ROOT = Path(__file__).resolve().parent.parent
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def yaml_snippets() -> list[str]:
    return [textwrap.dedent(block) for block in re.findall(r"```yaml\n(.*?)```", README, re.DOTALL)]


def test_every_yaml_snippet_parses() -> None:
    snippets = yaml_snippets()
    assert len(snippets) >= 3
    for snippet in snippets:
        yaml.safe_load(snippet)


def test_every_release_the_readme_names_is_this_one() -> None:
    named = re.findall(r"(?:rev: |asynclint@|asynclint, version |asynclint==)v?(\d+\.\d+\.\d+)", README)
    assert named, "the README names no release"
    assert set(named) == {__version__}


def test_the_pre_commit_snippet_names_the_hooks_this_repository_defines() -> None:
    hooks = {hook["id"] for hook in yaml.safe_load((PROJECT_ROOT / ".pre-commit-hooks.yaml").read_text())}
    config = next(yaml.safe_load(s) for s in yaml_snippets() if s.startswith("repos:"))
    (repository,) = config["repos"]
    assert repository["rev"] == f"v{__version__}"
    assert {hook["id"] for hook in repository["hooks"]} <= hooks
    # The commented alternative names a real hook too.
    assert re.search(r"#\s*- id: asynclint-fix", README) and "asynclint-fix" in hooks


def test_the_workflow_installs_the_project_before_running_asynclint() -> None:
    workflow = next(yaml.safe_load(s) for s in yaml_snippets() if s.startswith("name: asynclint"))
    steps = workflow["jobs"]["asynclint"]["steps"]
    install = next(i for i, step in enumerate(steps) if "pip install" in step.get("run", ""))
    action = next(i for i, step in enumerate(steps) if step.get("uses", "").startswith("asynclint/asynclint@"))
    assert install < action


def test_the_changelog_has_this_release_with_a_date_and_a_link() -> None:
    changelog = (PROJECT_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.MULTILINE)
    assert re.search(rf"^\[{re.escape(__version__)}\]: https://", changelog, re.MULTILINE)
