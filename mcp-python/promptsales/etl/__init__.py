"""The PromptSales delta ETL: the n8n workflow (built from the SQL beside this file) and running it once."""
