"""AIO001: syntax-error."""

from __future__ import annotations

from typing import ClassVar

from asynclint.rule import Example, Rule


class SyntaxError_(Rule):
    """
    ## What it does
    Reports a Python file or a pytest config file that cannot be parsed.

    ## Why is this bad?
    pytest cannot import a module that does not parse (a collection error), and cannot start with a config
    file it cannot read (a usage error). asynclint cannot check such a file either; it reports it, goes on with
    the other files, and exits with status 2.

    ## Example
    ```python
    async def test_fetch(:
        ...
    ```

    ## Fix safety
    There is no automatic fix.
    """

    code = "AIO001"
    name = "syntax-error"
    finds = "a Python file or pytest config file that cannot be parsed (exit status 2)"
    reported_by_engine: ClassVar[bool] = True
    file_kinds: ClassVar[frozenset[str]] = frozenset()
    invalid = (Example("async def test_fetch(:\n    pass\n"),)
    valid = (Example("async def helper():\n    pass\n"),)
