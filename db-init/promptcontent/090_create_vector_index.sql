-- Purpose: the PromptContent search index (PC3, PC5) in the central PromptSales database, schema `content`:
--   image_embeddings  one 384-d embedding per image and language (its English and its Spanish description),
--                     HNSW with cosine distance: the vector half of getContent's hybrid ranking;
--   image_lexemes     one weighted tsvector per image and language (A: what the picture shows, B: title and
--                     hashtag words, D: the description), built with the 'english' or 'spanish' text search
--                     configuration: the lexical half (also used when the vectors live in Pinecone);
--   hashtag_embeddings  every hashtag's words embedded: the closest hashtags a "no good match" answer offers.
--   `promptsales seed` replaces every row whenever it replaces the images, keeping them in step with MongoDB.
-- Dialect: PostgreSQL 18 with pgvector 0.8 (not part of the T-SQL sources).
-- Safe to re-run: yes. A table of the shape before issue #23 (one embedding per image, no `lang`) holds only
--   derived rows, so it is dropped and made anew; `promptsales seed` fills it again.
-- How to run: `promptsales db init` (promptsales.dbinit.content), or psql against the central database.
CREATE EXTENSION IF NOT EXISTS vector;
CREATE SCHEMA IF NOT EXISTS content;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.tables
               WHERE table_schema = 'content' AND table_name = 'image_embeddings')
       AND NOT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = 'content' AND table_name = 'image_embeddings' AND column_name = 'lang')
    THEN
        DROP TABLE content.image_embeddings;
    END IF;
END
$$;

CREATE TABLE IF NOT EXISTS content.image_embeddings (
    code        TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('en', 'es')),
    -- which model made the vector: a search only compares vectors of the model it embeds with
    model       TEXT NOT NULL,
    -- the image's hashtags in every language, accents folded: the hashtag filter runs inside the index scan
    hashtags    TEXT[] NOT NULL DEFAULT '{}',
    embedding   vector(384) NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (code, lang)
);
CREATE INDEX IF NOT EXISTS image_embeddings_hnsw_cosine
    ON content.image_embeddings USING hnsw (embedding vector_cosine_ops);
CREATE INDEX IF NOT EXISTS image_embeddings_hashtags ON content.image_embeddings USING gin (hashtags);

CREATE TABLE IF NOT EXISTS content.image_lexemes (
    code        TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('en', 'es')),
    hashtags    TEXT[] NOT NULL DEFAULT '{}',
    document    TSVECTOR NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (code, lang)
);
CREATE INDEX IF NOT EXISTS image_lexemes_document ON content.image_lexemes USING gin (document);

CREATE TABLE IF NOT EXISTS content.hashtag_embeddings (
    hashtag     TEXT NOT NULL,
    lang        TEXT NOT NULL CHECK (lang IN ('en', 'es')),
    model       TEXT NOT NULL,
    embedding   vector(384) NOT NULL,
    PRIMARY KEY (hashtag, lang, model)
);
