class Server:
    def __init__(self, port: int) -> None:
        self.port = port

    async def start(self) -> None:
        pass

    async def close(self) -> None:
        pass
