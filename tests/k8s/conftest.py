"""Render each overlay once per session with the real kustomize (kubectl kustomize); no cluster needed."""

from __future__ import annotations

import pytest
import yaml
from k8s_helpers import K8S, OVERLAYS, render_text


@pytest.fixture(scope="session")
def rendered_text() -> dict[str, str]:
    return {overlay: render_text(K8S / "overlays" / overlay) for overlay in OVERLAYS}


@pytest.fixture(scope="session")
def rendered(rendered_text: dict[str, str]) -> dict[str, list[dict]]:
    return {
        overlay: [doc for doc in yaml.safe_load_all(text) if doc] for overlay, text in rendered_text.items()
    }
