from test_storage_contract import StorageContract


class TestMemoryStorage(StorageContract):
    def make(self):
        return {}
