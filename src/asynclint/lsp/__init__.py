"""asynclint as a language server (`asynclint server`, the `lsp` extra): findings as an editor's diagnostics and
fixes as its quick fixes. `convert` turns asynclint's findings into LSP's terms; `server` speaks the protocol."""
