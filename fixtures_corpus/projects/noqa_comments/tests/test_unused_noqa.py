import asyncio

import pytest


async def test_still_needed():  # noqa: AIO101
    assert True


@pytest.mark.asyncio
async def test_marked_since():  # noqa: AIO101  # expect: AIO002
    assert True


@pytest.mark.asyncio
async def test_other_linters_kept():  # noqa: AIO101, E501  # expect: AIO002
    assert True


async def test_misspelled_code():  # noqa: AIO101, AIO110  # expect: AIO002
    assert True


async def test_one_of_two_used():  # noqa: AIO101, AIO201  # expect: AIO002
    asyncio.sleep(0)  # noqa: AIO201


@pytest.mark.asyncio
async def test_bare_noqa_serves_every_linter():  # noqa
    assert True


@pytest.mark.asyncio
async def test_names_unused_noqa_itself():  # noqa: AIO101, AIO002
    assert True
