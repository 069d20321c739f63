import unittest


class ServiceTestCase(unittest.TestCase):
    """Shared setup for the service tests."""

    def setUp(self):
        self.service = object()


class AsyncServiceTestCase(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        self.service = object()
