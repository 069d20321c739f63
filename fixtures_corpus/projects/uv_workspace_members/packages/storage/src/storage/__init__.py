"""A workspace member: uv installs it into the workspace's environment, so the other members import it."""


class Bucket:
    async def upload(self, key: str, data: bytes) -> None:
        pass

    def url(self, key: str) -> str:
        return f"memory://{key}"
