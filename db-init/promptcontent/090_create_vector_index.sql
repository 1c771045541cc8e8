-- Purpose: the PromptContent vector index on pgvector (PC3): one row per image, 384-d embeddings
--   of its description, HNSW with cosine distance. Lives in the central PromptSales database,
--   schema `content`, so no extra database is needed; `promptsales seed` replaces every row
--   whenever it replaces the images, keeping codes and counts in step with MongoDB.
-- Dialect: PostgreSQL 18 with pgvector 0.8 (not part of the T-SQL sources).
-- Safe to re-run: yes (IF NOT EXISTS everywhere).
-- How to run: `promptsales db init` (promptsales.dbinit.content), or psql against the central database.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE SCHEMA IF NOT EXISTS content;

CREATE TABLE IF NOT EXISTS content.image_embeddings (
    code        TEXT PRIMARY KEY,
    -- which model made the vector: a search only compares vectors of the model it embeds with
    model       TEXT NOT NULL,
    hashtags    TEXT[] NOT NULL DEFAULT '{}',
    embedding   vector(384) NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS image_embeddings_hnsw_cosine
    ON content.image_embeddings USING hnsw (embedding vector_cosine_ops);
CREATE INDEX IF NOT EXISTS image_embeddings_hashtags ON content.image_embeddings USING gin (hashtags);
