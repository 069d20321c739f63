"""`asyncio` marks on functions and classes pytest does not collect as tests."""

import pytest


class Client:
    async def post(self, path):
        return path


@pytest.fixture
def client():
    return Client()


@pytest.mark.asyncio  # expect: AIO109
async def login(client):
    await client.post("/login")


async def test_profile(client):  # expect: AIO101
    await login(client)


@pytest.mark.asyncio  # expect: AIO109
async def check_balance(client):
    assert await client.post("/balance") == "/balance"


@pytest.mark.asyncio  # expect: AIO109
class AccountTests:
    async def test_open(self, client):
        assert await client.post("/open") == "/open"


@pytest.mark.asyncio
class PaymentSuite:
    async def test_refund(self, client):
        assert await client.post("/refund") == "/refund"


class TestLedger:
    @pytest.mark.asyncio  # expect: AIO109
    async def seed(self, client):
        await client.post("/seed")

    @pytest.mark.asyncio
    async def test_totals(self, client):
        await self.seed(client)


@pytest.mark.asyncio
async def _shared_check(client):
    assert await client.post("/health") == "/health"


test_health = _shared_check
