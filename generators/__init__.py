"""Seeded generators for PromptContent, PromptAds and PromptCrm (`promptsales seed`)."""
