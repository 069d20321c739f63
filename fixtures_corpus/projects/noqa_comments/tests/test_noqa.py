async def test_suppressed_by_code():  # noqa: AIO101
    assert True


async def test_suppressed_bare():  # noqa
    assert True


async def test_suppressed_by_prefix():  # NOQA:AIO1
    assert True


async def test_other_code_does_not_suppress():  # noqa: E501  # expect: AIO101
    assert True


async def test_listed_with_others():  # noqa: E501,AIO101
    assert True
