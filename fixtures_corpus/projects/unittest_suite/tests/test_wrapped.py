"""Test cases that run their async methods themselves: nothing to report."""

import asyncio
import functools
import unittest


class RunCoroutines(type):
    """Wraps every async test method into a sync one (the pattern of asyncpg's test base)."""

    def __new__(mcls, name, bases, namespace):
        for key, value in list(namespace.items()):
            if key.startswith("test_") and asyncio.iscoroutinefunction(value):
                namespace[key] = mcls.wrap(value)
        return super().__new__(mcls, name, bases, namespace)

    @staticmethod
    def wrap(method):
        @functools.wraps(method)
        def run(self):
            return asyncio.run(method(self))

        return run


class LoopTestCase(unittest.TestCase, metaclass=RunCoroutines):
    pass


class TestThroughMetaclass(LoopTestCase):
    async def test_runs(self):
        self.assertTrue(True)


def async_test(method):
    @functools.wraps(method)
    def run(self):
        return asyncio.run(method(self))

    return run


class TestThroughDecorator(unittest.TestCase):
    @async_test
    async def test_runs(self):
        self.assertTrue(True)


class CallingTestCase(unittest.TestCase):
    def _callTestMethod(self, method):
        result = method()
        if asyncio.iscoroutine(result):
            asyncio.run(result)


class TestThroughCallOverride(CallingTestCase):
    async def test_runs(self):
        self.assertTrue(True)
