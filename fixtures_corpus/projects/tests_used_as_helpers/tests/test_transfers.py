from .test_accounts import test_make_owner


async def test_transfer_between_owners():
    owner = await test_make_owner()
    assert owner["name"] == "grace"
