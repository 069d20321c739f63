import asyncio


class OrderClient:
    def __init__(self) -> None:
        self.closed = False

    async def get(self, order_id: int) -> dict[str, int]:
        await asyncio.sleep(0)
        return {"id": order_id}

    async def aclose(self) -> None:
        self.closed = True
