"""PromptCrm test fixtures: a fresh stand-in pair (PromptAds + PromptCrm) seeded at full scale once per session."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from promptsales.dbinit import ads as ads_init
from promptsales.dbinit import crm as crm_init
from promptsales.generators import ads as ads_generator
from promptsales.generators import crm as crm_generator
from promptsales.generators.options import SeedOptions
from promptsales.settings import Settings


@dataclass(frozen=True)
class CrmWorld:
    settings: Settings
    options: SeedOptions
    counts: dict[str, int]
    seconds: float


@pytest.fixture(scope="session")
def crm_world(session_world) -> CrmWorld:
    """PromptAds generated first, then 500,000 CRM clients read against it, in a fresh pair of databases."""
    settings = session_world("test_crm", postgres=("crm_standin_database", "ads_standin_database"))
    options = SeedOptions()
    ads_init.apply(settings)
    crm_init.apply(settings)
    ads_generator.load(settings, options)
    started = time.perf_counter()
    counts = crm_generator.load(settings, options)
    return CrmWorld(settings, options, counts, time.perf_counter() - started)
