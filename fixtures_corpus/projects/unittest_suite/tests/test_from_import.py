from unittest import TestCase


class TestImported(TestCase):
    async def test_never_awaited(self):  # expect: AIO107
        self.assertEqual(1, 2)
