"""Rendered into each generated project: not Python until cookiecutter fills it in."""

from {{ cookiecutter.project_slug }}.app import create_app


async def test_health():
    app = create_app()
    assert await app.health() == "ok"
