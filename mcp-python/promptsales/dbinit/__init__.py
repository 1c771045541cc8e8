"""Applying db-init/ to each configured database; one module per database, each with `apply(settings)`."""
