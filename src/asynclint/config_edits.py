"""Setting keys in a pytest config file, leaving every other byte of it as it was.

Works on the file's text, line by line: a key already set in the section has its line replaced; a new key is
added after the section's last setting (before blank lines and comments that lead into the next section).
Line endings follow the file's own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path


def set_pytest_keys(path: Path, section: str, values: Mapping[str, str]) -> tuple[bytes, bytes] | None:
    """(before, after) bytes of `path` with `values` set in `section` (`[pytest]`, `[tool.pytest.ini_options]`).

    Values are written as TOML strings in `.toml` files and as plain text in INI files. None when the file or
    the section cannot be read, or an existing key spans several lines.
    """
    try:
        before = path.read_bytes()
        text = before.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    inner = re.escape(section.strip("[]"))
    header = re.compile(rf"^\s*\[\s*{inner}\s*\]\s*([#;].*)?$")
    start = next((i for i, line in enumerate(lines) if header.match(line.rstrip("\r\n"))), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
    toml = path.suffix == ".toml"
    for key, value in values.items():
        written = f'{key} = "{value}"' if toml else f"{key} = {value}"
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*[=:]")
        existing = [i for i in range(start + 1, end) if pattern.match(lines[i])]
        if existing:
            index = existing[-1]
            following = lines[index + 1] if index + 1 < end else ""
            if following[:1] in (" ", "\t") and following.strip() and not toml:
                return None  # an INI value continued on the next line
            ending = lines[index][len(lines[index].rstrip("\r\n")) :] or newline
            lines[index] = written + ending
            continue
        last = start
        for i in range(start + 1, end):
            stripped = lines[i].strip()
            if stripped and not stripped.startswith(("#", ";")):
                last = i
        if not lines[last].endswith(("\n", "\r")):
            lines[last] += newline
        lines.insert(last + 1, written + newline)
        end += 1
    return before, "".join(lines).encode("utf-8")
