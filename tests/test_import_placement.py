"""Where a fix's `import x` lands: where isort and ruff's `I001` would put it, so a fix never breaks the
import order a project's other linters enforce."""

from __future__ import annotations

import libcst as cst
import pytest

from asynclint.diagnostics import Applicability, ImportRequest, NodeFix
from asynclint.fixer import apply_fixes


def with_import(source: str, module: str) -> str:
    fix = NodeFix("add import", Applicability.SAFE, {}, imports=(ImportRequest(module),))
    return apply_fixes(cst.parse_module(source), [fix]).code


@pytest.mark.parametrize(
    ("source", "module", "expected"),
    [
        pytest.param(
            "import asyncio\n\n\ndef test(): ...\n",
            "pytest",
            "import asyncio\n\nimport pytest\n\n\ndef test(): ...\n",
            id="third-party block opened after the standard library",
        ),
        pytest.param(
            '"""Doc."""\nimport os\nimport sys\n\nfrom app import thing\n',
            "pytest",
            '"""Doc."""\nimport os\nimport sys\n\nimport pytest\nfrom app import thing\n',
            id="before the section's first from-import",
        ),
        pytest.param(
            "import anyio\nimport trio\n",
            "pytest",
            "import anyio\nimport pytest\nimport trio\n",
            id="name order within the section",
        ),
        pytest.param(
            "import pytest\nfrom pytest_mock import MockerFixture\n\nimport app\n",
            "pytest_asyncio",
            "import pytest\nimport pytest_asyncio\nfrom pytest_mock import MockerFixture\n\nimport app\n",
            id="next to its family",
        ),
        pytest.param(
            "# header\nimport pytest\n",
            "asyncio",
            "# header\nimport asyncio\n\nimport pytest\n",
            id="standard library block opened before the others",
        ),
        pytest.param(
            "from __future__ import annotations\n\nimport pytest\n",
            "asyncio",
            "from __future__ import annotations\n\nimport asyncio\n\nimport pytest\n",
            id="after __future__",
        ),
        pytest.param(
            "import pytest\n",
            "pytest",
            "import pytest\n",
            id="already imported",
        ),
        pytest.param(
            '"""Doc."""\n\n\ndef test(): ...\n',
            "pytest",
            '"""Doc."""\nimport pytest\n\n\ndef test(): ...\n',
            id="no imports: after the docstring",
        ),
    ],
)
def test_import_goes_where_isort_puts_it(source: str, module: str, expected: str) -> None:
    assert with_import(source, module) == expected
