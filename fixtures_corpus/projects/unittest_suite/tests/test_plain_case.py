import unittest


class TestApi(unittest.TestCase):
    def test_sync(self):
        self.assertTrue(True)

    async def test_never_awaited(self):  # expect: AIO107
        self.assertTrue(False)

    async def test_also_never_awaited(self):  # expect: AIO107
        self.assertTrue(False)

    async def helper(self):
        # not a test method: unittest only calls test* methods
        return 1
