import dataclasses


class BaseClient:
    async def ping(self):
        return True

    def describe(self):
        return "client"


@dataclasses.dataclass
class Settings:
    name: str = "shop"

    async def reload(self):
        return self
