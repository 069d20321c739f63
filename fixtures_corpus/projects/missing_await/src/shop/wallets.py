import dataclasses


class Ledger:
    async def record(self, amount):
        return amount


class Wallet:
    ledger: Ledger

    def __init__(self, ledger: Ledger):
        self.ledger = ledger

    async def push(self, amount):
        await self.ledger.record(amount)


@dataclasses.dataclass
class Node:
    wallet: Wallet
    name: str = "node"


class Service:
    def __init__(self, node: Node, backup: "Wallet | None" = None):
        self.node = node
        self.backup = backup


class AuditedService(Service):
    pass
