"""PromptCrm test fixtures: a fresh stand-in pair (PromptAds + PromptCrm) seeded at full scale once per session."""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest
from promptsales.dbinit import ads as ads_init
from promptsales.dbinit import crm as crm_init
from promptsales.settings import Settings

import generators.ads
import generators.crm
from generators.options import SeedOptions


@dataclass(frozen=True)
class CrmWorld:
    settings: Settings
    options: SeedOptions
    counts: dict[str, int]
    seconds: float


def settings_for(stack: Settings, crm_database: str, ads_database: str) -> Settings:
    return stack.model_copy(update={"postgres": stack.postgres.model_copy(
        update={"crm_standin_database": crm_database, "ads_standin_database": ads_database})})


@pytest.fixture(scope="session")
def standin_settings():
    """settings_for, as a fixture: test modules here are not importable as a package."""
    return settings_for


@pytest.fixture(scope="session")
def crm_world(stack: Settings, session_database) -> CrmWorld:
    """PromptAds generated first, then 500,000 CRM clients read against it, in a fresh pair of databases."""
    settings = settings_for(stack, session_database("test_crm"), session_database("test_ads"))
    options = SeedOptions()
    ads_init.apply(settings)
    crm_init.apply(settings)
    generators.ads.load(settings, options)
    started = time.perf_counter()
    counts = generators.crm.load(settings, options)
    return CrmWorld(settings, options, counts, time.perf_counter() - started)
