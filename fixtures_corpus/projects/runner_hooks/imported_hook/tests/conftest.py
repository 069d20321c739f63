from support.coroutine_runner import pytest_pyfunc_call  # noqa: F401
