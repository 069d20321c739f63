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

from asynclint.walk import children

_Span = tuple[int, int, int, int]


class Positions(Mapping[cst.CSTNode, CodeRange]):
    """Node -> `CodeRange`, as `MetadataWrapper(module).resolve(PositionProvider)` gives it.

    Findings sit in a few functions of a module, so positions are worked out statement by statement, on
    demand: the top-level statement (or, in a class, the body statement) holding the node is rendered alone,
    and found in the module's text, which it must match exactly and only once; its lines follow from where
    it is. Anything else (a node outside such statements, a statement whose text repeats, a file with bare
    carriage returns) renders the whole module, as LibCST would.
    """

    def __init__(self, module: cst.Module, text: str | None = None) -> None:
        self._module = module
        self._text = text
        self._spans: dict[cst.CSTNode, _Span] = {}
        self._complete = False
        #: id(node) -> the statement rendered for it (with the indentation it sits at), filled as units are
        #: walked. Keyed by id: LibCST nodes hash in Python, and this map holds every node up to the findings.
        self._unit_of: dict[int, tuple[cst.CSTNode, tuple[str, ...]]] = {}
        self._units = self._statement_units() if text is not None and "\r" not in text else iter(())
        self._rendered: set[cst.CSTNode] = set()

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        span = self._spans.get(node)
        if span is None:
            self._locate(node)
            span = self._spans[node]
        line, column, end_line, end_column = span
        return CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))

    def __iter__(self) -> Iterator[cst.CSTNode]:
        self._render_all()
        return iter(self._spans)

    def __len__(self) -> int:
        self._render_all()
        return len(self._spans)

    def __contains__(self, node: object) -> bool:
        if not isinstance(node, cst.CSTNode):
            return False
        if node not in self._spans:
            try:
                self._locate(node)
            except KeyError:
                return False
        return node in self._spans

    # -- whole module --------------------------------------------------------------------------------------------

    def _render_all(self) -> None:
        if self._complete:
            return
        state = _render(self._module, ())
        self._spans = state.spans
        self._complete = True

    # -- statement by statement ----------------------------------------------------------------------------------

    def _locate(self, node: cst.CSTNode) -> None:
        if self._complete:
            return
        unit = self._unit_of.get(id(node))
        while unit is None and next(self._units, False):
            unit = self._unit_of.get(id(node))
        if unit is None or unit[0] in self._rendered or not self._render(*unit):
            self._render_all()

    def _statement_units(self) -> Iterator[bool]:
        """Walk the module's statements in order, recording which unit each node belongs to."""
        indent = self._module.default_indent
        for statement in self._module.body:
            body = getattr(statement, "body", None)
            if isinstance(statement, cst.ClassDef) and isinstance(body, cst.IndentedBlock):
                block_indent = body.indent if body.indent is not None else indent
                for inner in body.body:
                    self._claim(inner, (inner, (block_indent,)))
                    yield True
            self._claim(statement, (statement, ()))
            yield True

    def _claim(self, root: cst.CSTNode, unit: tuple[cst.CSTNode, tuple[str, ...]]) -> None:
        stack = [root]
        unit_of = self._unit_of
        while stack:
            current = stack.pop()
            key = id(current)
            if key in unit_of:  # a class's body statements are units of their own
                continue
            unit_of[key] = unit
            stack.extend(children(current))

    def _render(self, statement: cst.CSTNode, indents: tuple[str, ...]) -> bool:
        """Positions of one statement's nodes, placed by finding its text in the module's; False if it is
        not found exactly once at the start of a line."""
        assert self._text is not None
        state = _render(statement, indents, self._module)
        rendered = "".join(state.tokens)
        offset = self._text.find(rendered)
        if (
            not rendered
            or offset < 0
            or (offset > 0 and self._text[offset - 1] != "\n")
            or self._text.find(rendered, offset + 1) >= 0
        ):
            return False
        shift = self._text.count("\n", 0, offset)
        for node, (line, column, end_line, end_column) in state.spans.items():
            self._spans.setdefault(node, (line + shift, column, end_line + shift, end_column))
        self._rendered.add(statement)
        return True


def _render(node: cst.CSTNode, indents: tuple[str, ...], module: cst.Module | None = None) -> _PositionState:
    """`node` rendered with positions recorded."""
    settings = module if module is not None else node
    assert isinstance(settings, cst.Module)
    state = _PositionState(settings.default_indent, settings.default_newline)
    state.indent_tokens.extend(indents)
    node._codegen(state)
    return state


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
        if kind is not None:  # rendering failed inside (too deep): nothing to record, let the error through
            return
        state = self.state
        start = (self.line, self.column)
        end = (state.line, state.column)
        if self.start_node is not None:
            start = state.spans[self.start_node][:2]
        if self.end_node is not None:
            end = state.spans[self.end_node][2:]
        state.spans[self.node] = (*start, *end)
