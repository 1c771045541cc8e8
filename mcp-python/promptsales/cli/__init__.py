"""The `promptsales` command: one group, a subcommand module per job (see main.COMMAND_MODULES)."""
