"""PromptSales integration hub: shared settings, clients, the local stack, the CLI and the MCP servers."""
