import asyncio
import inspect


class CoroutineRunner:
    """Runs coroutine tests on a fresh event loop."""

    def pytest_pyfunc_call(self, pyfuncitem):
        if not inspect.iscoroutinefunction(pyfuncitem.obj):
            return None
        funcargs = pyfuncitem.funcargs
        asyncio.run(pyfuncitem.obj(**{name: funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}))
        return True


def pytest_configure(config):
    config.pluginmanager.register(CoroutineRunner(), "coroutine-runner")
