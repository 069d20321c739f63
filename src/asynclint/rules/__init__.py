"""The rules, one module per rule, named after the rule. They are discovered by `asynclint.registry`."""
