"""A contract every storage backend's tests derive from: its mark reaches them."""

import pytest


@pytest.mark.asyncio
class StorageContract:
    def make(self):
        raise NotImplementedError

    async def test_roundtrip(self):
        store = self.make()
        assert store is not None
