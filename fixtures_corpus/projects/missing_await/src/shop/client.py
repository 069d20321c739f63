from .base import BaseClient


class ShopClient(BaseClient):
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.aclose()

    async def get_order(self, order_id):
        return {"id": order_id, "total": 10}

    async def aclose(self):
        pass

    def url(self, path):
        return f"https://shop.test/{path}"
