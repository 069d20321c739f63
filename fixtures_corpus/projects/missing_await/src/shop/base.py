class BaseClient:
    async def ping(self):
        return True

    def describe(self):
        return "client"
