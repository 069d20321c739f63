"""Line and column of every node: LibCST's `PositionProvider`, computed the same way at a fraction of the cost.

`PositionProvider` renders the module and records, for each node, where its code starts and ends (the
syntactic range a node declares, else the range of everything it renders). It builds two frozen dataclasses per
node and a generator-based context manager per recorded range, which makes it cost as much as the parse
itself. This renders the module the same way with plain tuples and a light context manager, and makes
`CodeRange`s only for the nodes asked about (those of findings).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import TracebackType

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

_Span = tuple[int, int, int, int]


class Positions(Mapping[cst.CSTNode, CodeRange]):
    """Node -> `CodeRange`, as `MetadataWrapper(module).resolve(PositionProvider)` gives it."""

    def __init__(self, module: cst.Module) -> None:
        state = _PositionState(module.default_indent, module.default_newline)
        module._codegen(state)
        self._spans = state.spans

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        line, column, end_line, end_column = self._spans[node]
        return CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))

    def __iter__(self) -> Iterator[cst.CSTNode]:
        return iter(self._spans)

    def __len__(self) -> int:
        return len(self._spans)

    def __contains__(self, node: object) -> bool:
        return node in self._spans


class _PositionState(CodegenState):
    """The rendering state LibCST's position providers use, keeping positions as tuples."""

    def __init__(self, default_indent: str, default_newline: str) -> None:
        super().__init__(default_indent, default_newline)
        self.line = 1
        self.column = 0
        self.starts: list[tuple[int, int]] = []
        self.spans: dict[cst.CSTNode, _Span] = {}

    def _advance(self, value: str) -> None:
        if "\n" not in value and "\r" not in value:
            self.column += len(value)
            return
        # LibCST counts "\r\n", "\r" and "\n" as one line break each.
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.line += len(lines) - 1
        self.column = len(lines[-1])

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        self._advance(value)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self.starts.append((self.line, self.column))

    def after_codegen(self, node: cst.CSTNode) -> None:
        line, column = self.starts.pop()
        if node not in self.spans:  # a syntactic range recorded inside wins
            self.spans[node] = (line, column, self.line, self.column)

    def record_syntactic_position(  # type: ignore[override]
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None
    ) -> _Syntactic:
        return _Syntactic(self, node, start_node, end_node)


class _Syntactic:
    """`with state.record_syntactic_position(node):` without a generator per node."""

    __slots__ = ("column", "end_node", "line", "node", "start_node", "state")

    def __init__(
        self, state: _PositionState, node: cst.CSTNode, start_node: cst.CSTNode | None, end_node: cst.CSTNode | None
    ) -> None:
        self.state = state
        self.node = node
        self.start_node = start_node
        self.end_node = end_node

    def __enter__(self) -> None:
        self.line = self.state.line
        self.column = self.state.column

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        state = self.state
        start = (self.line, self.column)
        end = (state.line, state.column)
        if self.start_node is not None:
            start = state.spans[self.start_node][:2]
        if self.end_node is not None:
            end = state.spans[self.end_node][2:]
        state.spans[self.node] = (*start, *end)
