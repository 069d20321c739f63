async def seed_orders(count):
    return list(range(count))
