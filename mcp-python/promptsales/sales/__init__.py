"""The sales MCP server: natural-language questions about campaign performance (PS5)."""
