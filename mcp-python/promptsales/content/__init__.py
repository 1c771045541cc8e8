"""The PromptContent MCP server: getContent (semantic image search) and generateCampaignMessages."""
