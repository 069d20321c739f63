"""The project pins quickcache 3.0.0, whose `fetch` is a plain function. The `venv` folder holds another
checkout's packages (pytest-asyncio 0.21.2, quickcache 1.0.0, where `fetch` was a coroutine function): the
pins exclude its pytest-asyncio, so asynclint does not read it, and reports nothing here."""

import pytest
import quickcache


@pytest.mark.asyncio
async def test_balance_is_cached():
    quickcache.fetch("balance")
