"""The template's own tests: they bake projects and check them."""

import pytest


def test_bake_with_defaults(cookies):
    result = cookies.bake()
    assert result.exit_code == 0
    assert result.project_path.name == "orders_service"


async def test_bake_without_docker(cookies):  # expect: AIO101
    result = cookies.bake(extra_context={"use_docker": "n"})
    assert not (result.project_path / "Dockerfile").exists()


@pytest.mark.asyncio
async def test_generated_tests_are_rendered(cookies):
    result = cookies.bake()
    text = (result.project_path / "tests" / "test_api.py").read_text()
    assert "{{" not in text
