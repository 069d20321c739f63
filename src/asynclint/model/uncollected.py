"""Functions and classes of a test module that pytest does not collect as tests, and why.

pytest collects a module-level function or a method when its name matches `python_functions`, a class when its
name matches `python_classes` and it has no `__init__` (a `unittest.TestCase` subclass whatever its name, and
then only its `test*` methods), and anything with `__test__ = True`. Marks on anything else are never read.
What asynclint cannot see makes the answer unknown (None): a hook or plugin that collects its own way, an
unknown decorator, a base class it cannot read, a name used elsewhere (an alias such as `test_x = helper` is
collected under the alias; a class subclassed by a test class passes its marks on).
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from asynclint.files import files_named
from asynclint.files import read_source as read_bytes
from asynclint.model.collection import ClassFacts, FileModel, TestCaseKind
from asynclint.model.facts import ClassInfo, DecoratorKind, Function


def uncollected_function(model: FileModel, function: Function, text: str) -> str | None:
    """Why pytest does not collect this function of a test module as a test, or None (it does, or that is not
    known). `text` is the module's source."""
    if not _collection_known(model) or function.fixture is not None or model.test_for(function) is not None:
        return None
    if any(decorator.kind is DecoratorKind.UNKNOWN for decorator in function.decorators):
        return None
    if f"{function.name}.__test__" in text or _referenced(text, function.name):
        return None
    settings = model.settings
    named = settings.is_test_function(function.name)
    if function.class_qualname is None:
        # A test-named function is collected (whoever runs it is not this module's business).
        return None if named else f"its name does not match {_patterns('python_functions', settings.python_functions)}"
    facts = model.classes.get(function.class_qualname)
    if facts is None:
        return None
    if facts.testcase in (TestCaseKind.PLAIN, TestCaseKind.ASYNC):
        if function.name.startswith("test") or facts.testcase is TestCaseKind.ASYNC:
            return None  # a unittest test (AIO107), or an async TestCase's method (AIO108)
        return f"unittest runs only the `test*` methods of `{facts.info.name}`"
    if facts.testcase is not TestCaseKind.NONE:
        return None
    if not named:
        return f"its name does not match {_patterns('python_functions', settings.python_functions)}"
    class_reason = uncollected_class(model, facts.info, text)
    return f"its class `{facts.info.name}` is not collected: {class_reason}" if class_reason is not None else None


def uncollected_class(model: FileModel, info: ClassInfo, text: str) -> str | None:
    """Why pytest does not collect this class of a test module (so none of its tests run), or None."""
    if not _collection_known(model):
        return None
    facts = model.classes.get(info.qualname)
    if facts is None or facts.testcase is not TestCaseKind.NONE:
        return None
    if any(decorator.kind is DecoratorKind.UNKNOWN for decorator in info.decorators) or info.has_metaclass:
        return None
    if _referenced(text, info.name) or (info.outer_qualname is None and _used_elsewhere(model, info.name)):
        return None  # a base class: its marks and tests reach the test classes deriving from it
    return _class_collection(model, facts)


def _class_collection(model: FileModel, facts: ClassFacts) -> str | None:
    """Why pytest does not collect the class itself (its name, `__init__`, or a class it is nested in)."""
    info = facts.info
    if info.collect_flag is not None:  # `__test__ = ...`: collected when true; deliberately not when false
        return None
    settings = model.settings
    if not settings.is_test_class(info.name):
        return f"its name does not match {_patterns('python_classes', settings.python_classes)}"
    if facts.has_init:
        return (
            'it has an `__init__`: pytest warns "cannot collect test class ... because it has a __init__ constructor"'
        )
    if info.outer_qualname is not None:
        outer = model.classes.get(info.outer_qualname)
        if outer is None or outer.testcase is not TestCaseKind.NONE:
            return None
        reason = _class_collection(model, outer)
        return f"the class `{outer.info.name}` it is nested in is not collected: {reason}" if reason else None
    return None


def _collection_known(model: FileModel) -> bool:
    return (
        model.is_test_module
        and model.directory.environment.collection_unknown is None
        and model.summary.pytest_plugins is None
    )


def _patterns(option: str, patterns: tuple[str, ...]) -> str:
    """`python_functions` pattern `test`; `python_classes` patterns `Test`, `*Suite`."""
    listed = ", ".join(f"`{pattern}`" for pattern in patterns)
    return f"the `{option}` pattern{'s' if len(patterns) > 1 else ''} {listed}"


def _referenced(text: str, name: str) -> bool:
    """Whether the module uses the name other than by defining it or calling it (`test_x = helper`,
    `class TestX(Base)`, `partial(helper)`): then pytest may collect it under another name."""
    try:
        tokens = [token for token in tokenize.generate_tokens(io.StringIO(text).readline) if token.string.strip()]
    except (tokenize.TokenError, SyntaxError):
        return True
    for index, token in enumerate(tokens):
        if token.type != tokenize.NAME or token.string != name:
            continue
        before = tokens[index - 1].string if index else ""
        after = tokens[index + 1].string if index + 1 < len(tokens) else ""
        if before in ("def", "class") or after == "(":
            continue  # its definition, or a call
        return True
    return False


def _used_elsewhere(model: FileModel, name: str) -> bool:
    """Whether another module imports the class (a base class of test classes elsewhere): the modules the run
    lints say so, and any Python file under the rootdir that names it."""
    if name in model.imported_names or "*" in model.imported_names:
        return True
    return _named_under(model.settings.config.rootdir, name, str(model.path.resolve()))


def _named_under(root: str, name: str, excluded: str) -> bool:
    word = re.compile(rf"\b{re.escape(name)}\b".encode())
    for path in files_named(Path(root), lambda file: file.endswith(".py")):
        if str(path.resolve()) == excluded:
            continue
        try:
            if word.search(read_bytes(path)):
                return True
        except OSError:
            return True  # cannot tell
    return False
