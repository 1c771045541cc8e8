"""Where each setting comes from: flag > environment > `.env` > `.promptsales/local.env` > default.

Each test writes real files in a temporary folder and points the whole tree at them, with the variables
it reads removed from the environment first (the test run exports some, e.g. POSTGRES_PORT).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from promptsales.cli.main import build_parser
from promptsales.cli.mcp_cmd import server_settings
from promptsales.errors import InvalidInput
from promptsales.settings import Settings, get_settings, load_settings

KEYS = [
    "PROMPTSALES_SOURCES",
    "PROMPTSALES_LOG_LEVEL",
    "PROMPTSALES_ENVIRONMENT",
    "POSTGRES_DATABASE",
    "REDIS_KEY_PREFIX",
]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """(local.env, .env) in a temporary folder, in the order the tree reads them (later wins)."""
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    local_env, dot_env = tmp_path / "local.env", tmp_path / ".env"
    local_env.write_text("")
    dot_env.write_text("")
    return local_env, dot_env


def _load(files, **flags) -> Settings:
    return Settings(_env_file=files, **flags)


def test_defaults_when_nothing_sets_a_key(files):
    settings = _load(files)
    assert (settings.sources, settings.log_level, settings.environment) == ("standin", "WARNING", "local")
    assert settings.postgres.database == "promptsales" and settings.redis.key_prefix == "ps"


# Each layer, set for a top-level key and a section's key, over the layers below it (None: not set there).
# Columns: local.env, .env, environment, flag (top-level only) -> the values read.
LAYERS = {
    "local.env beats the defaults": ("from_local", None, None, None, "from_local"),
    ".env beats local.env": ("from_local", "from_dotenv", None, None, "from_dotenv"),
    "the environment beats .env": ("from_local", "from_dotenv", "from_env", None, "from_env"),
    "a flag beats the environment": ("from_local", "from_dotenv", "from_env", "from_flag", "from_flag"),
}
# The value each layer gives PROMPTSALES_LOG_LEVEL (a top-level key) and POSTGRES_DATABASE (a section's).
LEVELS = {"from_local": "ERROR", "from_dotenv": "INFO", "from_env": "CRITICAL", "from_flag": "DEBUG"}


@pytest.mark.parametrize(("local", "dotenv", "environment", "flag", "wins"), LAYERS.values(), ids=LAYERS)
def test_each_layer_beats_the_ones_below(files, monkeypatch, local, dotenv, environment, flag, wins):
    for path, layer in zip(files, (local, dotenv), strict=True):
        if layer:
            path.write_text(f"PROMPTSALES_LOG_LEVEL={LEVELS[layer]}\nPOSTGRES_DATABASE={layer}\n")
    if environment:
        monkeypatch.setenv("PROMPTSALES_LOG_LEVEL", LEVELS[environment])
        monkeypatch.setenv("POSTGRES_DATABASE", environment)
    settings = _load(files, **({"log_level": LEVELS[flag]} if flag else {}))
    assert settings.log_level == LEVELS[wins]
    assert settings.postgres.database == (environment or dotenv or local)  # sections take no flags


def test_the_issue_case_a_dot_env_with_top_level_keys_is_honoured(files):
    """Issue #25: `.env` with these two lines gave `standin` and `WARNING` (the top level ignored .env)."""
    _, dot_env = files
    dot_env.write_text("PROMPTSALES_SOURCES=sqlserver\nPROMPTSALES_LOG_LEVEL=debug\n")
    settings = _load(files)
    assert (settings.sources, settings.log_level) == ("sqlserver", "DEBUG")


def test_the_mcp_serve_log_level_flag_beats_the_environment(monkeypatch):
    monkeypatch.setenv("PROMPTSALES_LOG_LEVEL", "ERROR")
    flagged = build_parser().parse_args(["mcp", "serve", "sales", "--log-level", "debug"])
    plain = build_parser().parse_args(["mcp", "serve", "sales"])
    assert server_settings(flagged).log_level == "DEBUG"
    assert Settings().log_level == "ERROR"  # what the flag beat
    assert (
        server_settings(plain) is get_settings()
    )  # no flag given: the shared tree, as every command reads it


@pytest.mark.parametrize(("key", "value"), [("PROMPTSALES_SOURCES", "oracle"), ("POSTGRES_PORT", "lots")])
def test_a_bad_value_is_one_line_naming_the_variable_and_exits_2(key, value):
    result = subprocess.run(
        [sys.executable, "-m", "promptsales.cli.main", "stack", "status"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, key: value},
    )
    assert result.returncode == 2, result.stderr
    assert (
        result.stderr.startswith(f"promptsales stack: invalid setting: {key}: ")
        and f"(got '{value}')" in result.stderr
    )
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_load_settings_without_flags_is_the_shared_tree_and_a_bad_flag_is_invalid_input():
    assert load_settings(log_level=None) is load_settings()
    with pytest.raises(InvalidInput, match=r"^invalid setting: PROMPTSALES_LOG_LEVEL: .*\(got 'LOUD'\)"):
        load_settings(log_level="loud")
