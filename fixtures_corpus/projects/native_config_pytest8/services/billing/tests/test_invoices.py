async def total(lines):
    return sum(lines)


async def test_total():  # expect: AIO101
    assert await total([1, 2]) == 3
