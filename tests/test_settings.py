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
from promptsales.settings import Settings, load_settings

KEYS = ["PROMPTSALES_SOURCES", "PROMPTSALES_LOG_LEVEL", "PROMPTSALES_ENVIRONMENT", "POSTGRES_DATABASE",
        "REDIS_KEY_PREFIX"]


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


def test_local_env_beats_the_defaults(files):
    local_env, _ = files
    local_env.write_text("PROMPTSALES_SOURCES=sqlserver\nPOSTGRES_DATABASE=from_local\n")
    settings = _load(files)
    assert settings.sources == "sqlserver" and settings.postgres.database == "from_local"


def test_dot_env_beats_local_env(files):
    local_env, dot_env = files
    local_env.write_text("PROMPTSALES_LOG_LEVEL=ERROR\nPOSTGRES_DATABASE=from_local\n")
    dot_env.write_text("PROMPTSALES_LOG_LEVEL=INFO\nPOSTGRES_DATABASE=from_dotenv\n")
    settings = _load(files)
    assert settings.log_level == "INFO" and settings.postgres.database == "from_dotenv"


def test_the_environment_beats_dot_env(files, monkeypatch):
    _, dot_env = files
    dot_env.write_text("PROMPTSALES_LOG_LEVEL=INFO\nREDIS_KEY_PREFIX=from_dotenv\n")
    monkeypatch.setenv("PROMPTSALES_LOG_LEVEL", "ERROR")
    monkeypatch.setenv("REDIS_KEY_PREFIX", "from_env")
    settings = _load(files)
    assert settings.log_level == "ERROR" and settings.redis.key_prefix == "from_env"


def test_a_flag_beats_the_environment(files, monkeypatch):
    _, dot_env = files
    dot_env.write_text("PROMPTSALES_LOG_LEVEL=INFO\n")
    monkeypatch.setenv("PROMPTSALES_LOG_LEVEL", "ERROR")
    assert _load(files, log_level="DEBUG").log_level == "DEBUG"


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
    assert server_settings(plain).log_level == Settings().log_level == "ERROR"


@pytest.mark.parametrize(("key", "value"), [("PROMPTSALES_SOURCES", "oracle"), ("POSTGRES_PORT", "lots")])
def test_a_bad_value_is_one_line_naming_the_variable_and_exits_2(key, value):
    result = subprocess.run([sys.executable, "-m", "promptsales.cli.main", "stack", "status"], check=False,
                            capture_output=True, text=True, timeout=60, env={**os.environ, key: value})
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"promptsales stack: invalid setting: {key}: ") and f"(got '{value}')" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_load_settings_without_flags_is_the_shared_tree_and_a_bad_flag_is_invalid_input():
    assert load_settings(log_level=None) is load_settings()
    with pytest.raises(InvalidInput, match=r"^invalid setting: PROMPTSALES_LOG_LEVEL: .*\(got 'LOUD'\)"):
        load_settings(log_level="loud")
