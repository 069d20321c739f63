"""`super().asyncSetUp()` and other base-class coroutine methods reached through `super()`."""

import unittest


class StoreTestCase(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.orders = []

    async def add_order(self, order_id):
        self.orders.append(order_id)


class TestOrders(StoreTestCase):
    async def asyncSetUp(self):
        # The base's setup never runs: `self.orders` is missing in every test.
        super().asyncSetUp()  # expect: AIO201

    async def asyncTearDown(self):
        super().asyncTearDown()  # expect: AIO201

    async def add_order(self, order_id):
        await super().add_order(order_id)

    async def test_add(self):
        await self.add_order(1)
        self.assertEqual(self.orders, [1])


class TestOrdersAwaited(StoreTestCase):
    async def asyncSetUp(self):
        await super().asyncSetUp()

    def setUp(self):
        super().setUp()

    async def test_empty(self):
        self.assertEqual(self.orders, [])
