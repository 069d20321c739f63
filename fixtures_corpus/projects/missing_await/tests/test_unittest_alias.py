"""A local copying an attribute is the same object: the evidence of its method awaited elsewhere holds."""

import unittest


class StoreClient:
    async def list_orders(self, archived=False):
        return []


#: Clients by name: which class a lookup gives is not something asynclint reads.
CLIENTS = {"store": StoreClient}


class TestStoreClient(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.client = CLIENTS["store"]()

    async def test_listed_both_ways(self):
        client = self.client
        response = await client.list_orders(archived=False)
        self.assertIsNotNone(response)

        response = client.list_orders(archived=True)  # expect: AIO202
        self.assertIsNotNone(response)

    async def test_stored_and_passed_on(self):
        client = self.client
        await client.list_orders()
        response = client.list_orders()
        self.check(response)

    def check(self, response):
        pass
