"""A sync helper cannot await: a coroutine it keeps in a local and only checks or reads never runs, whoever
calls the helper. One it hands back may be awaited by its caller."""

import pytest


class ProofBuilder:
    async def build(self, height: int) -> list[int]:
        return list(range(height))


def _check_proof(height: int) -> None:
    builder = ProofBuilder()
    proof = builder.build(height)  # expect: AIO203
    assert proof is not None


def _proof_request(height: int):
    request = ProofBuilder().build(height)
    return request  # the caller awaits it


def test_proof_of_ten() -> None:
    _check_proof(10)


@pytest.mark.asyncio
async def test_proof_of_three() -> None:
    assert await _proof_request(3) == [0, 1, 2]
