"""The local stack: real PostgreSQL+pgvector, Redis, a MongoDB-wire server and n8n on 127.0.0.1."""
