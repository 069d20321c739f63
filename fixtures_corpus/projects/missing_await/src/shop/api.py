import asyncio


async def fetch_order(order_id):
    await asyncio.sleep(0)
    return {"id": order_id, "total": 10}


async def cancel_order(order_id):
    return True


def order_url(order_id):
    return f"/orders/{order_id}"
