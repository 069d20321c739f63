"""Per-file analyses that several rules read: computed once per file from its tree and its model."""
