"""`unittest` assertions only look at what they are given: a coroutine object passes most of them."""

import unittest

from shop import ShopClient


class TestOrders(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.client = ShopClient()

    async def test_order_exists(self):
        order = self.client.get_order(1)  # expect: AIO202
        self.assertIsNotNone(order)

    async def test_order_awaited(self):
        order = await self.client.get_order(1)
        self.assertIsNotNone(order)


class TestOwnAssertions(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.client = ShopClient()

    async def assertTrue(self, pending):
        # The class's own assertion awaits what it is given.
        assert await pending

    async def test_order_exists(self):
        pending = self.client.get_order(1)
        await self.assertTrue(pending)


class OrderChecks:
    """Not a `TestCase`: its `assertIsNotNone` may be anything."""

    def assertIsNotNone(self, value):
        return value

    async def check(self, client: ShopClient):
        order = client.get_order(1)
        self.assertIsNotNone(order)
