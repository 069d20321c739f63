"""Decorators the shop's coroutine functions are written with."""

import asyncio
import functools
import inspect

AUDITED = []


def audited(func):
    """Record the function for the audit log; it stays as it is."""
    AUDITED.append(func.__qualname__)
    return func


def retry(times=3, delay=0.1):
    """Retry a coroutine function on connection errors."""

    def decorate(func):
        @functools.wraps(func)
        async def wrapper(*args, **kwargs):
            for _ in range(times - 1):
                try:
                    return await func(*args, **kwargs)
                except ConnectionError:
                    await asyncio.sleep(delay)
            return await func(*args, **kwargs)

        return wrapper

    return decorate


def sync_or_async(func):
    """Callable from scripts (runs the coroutine to completion) and from async code (returns it)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(func(*args, **kwargs))
        return func(*args, **kwargs)

    return wrapper


def cached(func):
    """Cache results: what a call returns is decided at runtime, so asynclint cannot know."""
    results = {}

    @functools.wraps(func)
    def wrapper(*args):
        if args not in results:
            results[args] = func(*args)
        return results[args]

    return wrapper


def with_params(*names):
    """Move the named keyword arguments into `params=`: the wrapper returns the call of the function."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            params = {name: kwargs.pop(name) for name in names if name in kwargs}
            return func(*args, params=params, **kwargs)

        return wrapper

    return decorate


def maybe_logged(func):
    """Returns the call on one path only: what a call gives is not the function's on the other."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if kwargs.pop("quiet", False):
            return None
        return func(*args, **kwargs)

    return wrapper


def traced(func):
    """Times coroutine functions with an `async def` wrapper and plain ones with a plain wrapper."""

    @functools.wraps(func)
    async def async_wrapper(*args, **kwargs):
        return await func(*args, **kwargs)

    @functools.wraps(func)
    def sync_wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return async_wrapper if inspect.iscoroutinefunction(func) else sync_wrapper


def logged(name):
    """Logs coroutine functions only; plain ones are returned as they are."""

    def decorator(func):
        if asyncio.iscoroutinefunction(func):

            @functools.wraps(func)
            async def wrapper(*args, **kwargs):
                return await func(*args, **kwargs)

            return wrapper
        return func

    return decorator
