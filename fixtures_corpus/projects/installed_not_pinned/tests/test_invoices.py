import pytest


@pytest.fixture(scope="module")
async def ledger():
    return {"open": 3}


async def test_open_invoices(ledger):
    assert ledger["open"] == 3
