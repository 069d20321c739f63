import pytest


@pytest.mark.asyncio
async def test_fixture_the_hook_parametrizes(flavor):
    # `flavor` is "plain" or "fancy" here, not a client.
    flavor.aclose()


@pytest.mark.asyncio
async def test_other_fixtures_keep_their_values(plain_client):
    plain_client.aclose()  # expect: AIO201
