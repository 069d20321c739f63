"""A run of asynclint, one stage per module: `discover` -> the project model (`asynclint.model`) -> `lint`
(with `pool`, fixes applied in memory) -> `write` -> the result (`options.RunResult`, with `notes`);
`pipeline` strings them together and `keys` says what the results cache keys them by."""
