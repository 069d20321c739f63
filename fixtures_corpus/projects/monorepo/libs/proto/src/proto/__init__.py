"""Message schemas shared by the services."""


async def decode(raw: bytes) -> dict[str, bytes]:
    return {"raw": raw}
