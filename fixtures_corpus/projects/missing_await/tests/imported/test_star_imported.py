"""Fixtures a conftest takes with `import *` are that conftest's fixtures."""

import pytest


@pytest.mark.asyncio
async def test_uses_a_fixture_the_conftest_imports(shared_device):
    shared_device.reply(1, b"")  # expect: AIO201
