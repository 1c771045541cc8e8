"""Every connection and secret PromptSales uses, in one place.

Every key, a section's (POSTGRES_PORT) or a top-level one (PROMPTSALES_SOURCES), comes from the first of
these that sets it: a command-line flag (keyword arguments to `Settings`), the process environment, the
project's `.env`, `.promptsales/local.env` (written by `promptsales stack up` with random local
passwords), the default below.
`secrets-templates/.env.example` lists every variable with a comment. No secret has a
default here: the ones the local stack needs are generated on first `stack up`.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings.sources import ENV_FILE_SENTINEL, DotenvType

from promptsales.errors import InvalidInput, shown


def _project_root() -> Path:
    """PROMPTSALES_HOME, else the checkout this package runs from (an editable install from mcp-python/),
    else the working directory (an installed wheel: the image sets PROMPTSALES_HOME=/app)."""
    if os.environ.get("PROMPTSALES_HOME"):
        return Path(os.environ["PROMPTSALES_HOME"]).resolve()
    checkout = Path(__file__).resolve().parents[2]
    return checkout if (checkout / "db-init").is_dir() else Path.cwd()


# Where the top-level folders that stay beside the code (C4: db-init/, n8n-workflows/, bench/, localstack/,
# scripts/) are read from. Read from the process environment only: it locates the .env file itself.
PROJECT_ROOT = _project_root()
# Local stack state: data, logs, pid files, generated local passwords. Git-ignored.
STATE_DIR = Path(os.environ.get("PROMPTSALES_STATE_DIR", PROJECT_ROOT / ".promptsales"))
LOCAL_ENV_FILE = STATE_DIR / "local.env"
# Later files win: generated local values first, then the user's own .env.
ENV_FILES = (LOCAL_ENV_FILE, PROJECT_ROOT / ".env")


def _config(prefix: str) -> SettingsConfigDict:
    return SettingsConfigDict(env_prefix=prefix, env_file=ENV_FILES, extra="ignore")


class PostgresSettings(BaseSettings):
    """PromptSales (central) and, on the local stack, the PromptAds/PromptCrm stand-ins."""

    model_config = _config("POSTGRES_")
    host: str = "127.0.0.1"  # POSTGRES_HOST
    port: int = 55432  # POSTGRES_PORT; not 5432, so a system PostgreSQL does not collide
    user: str = "promptsales"  # POSTGRES_USER, the application role
    password: SecretStr | None = None  # POSTGRES_PASSWORD
    database: str = "promptsales"  # POSTGRES_DATABASE, the central database (PS1-PS6)
    ads_standin_database: str = "promptads"  # POSTGRES_ADS_STANDIN_DATABASE
    crm_standin_database: str = "promptcrm"  # POSTGRES_CRM_STANDIN_DATABASE

    def dsn(self, database: str | None = None) -> str:
        """A libpq connection string (key=value form, so passwords need no URL escaping)."""
        parts = {
            "host": self.host,
            "port": str(self.port),
            "user": self.user,
            "dbname": database or self.database,
        }
        if self.password is not None:
            parts["password"] = self.password.get_secret_value()
        return " ".join(f"{k}='{_libpq_escape(v)}'" for k, v in parts.items())


def _libpq_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("'", "\\'")


class SqlServerSettings(BaseSettings):
    """One SQL Server database (production path, through pyodbc)."""

    host: str = "127.0.0.1"
    port: int = 1433
    user: str = "sa"
    password: SecretStr | None = None
    database: str = ""
    # "FreeTDS" (Debian tdsodbc) or "ODBC Driver 18 for SQL Server" where installed.
    driver: str = "FreeTDS"
    encrypt: bool = True

    def odbc_connection_string(self) -> str:
        password = self.password.get_secret_value() if self.password else ""
        parts = [
            f"DRIVER={{{self.driver}}}",
            f"SERVER={self.host},{self.port}" if "ODBC Driver" in self.driver else f"SERVER={self.host}",
            f"DATABASE={self.database}",
            f"UID={self.user}",
            "PWD={" + password.replace("}", "}}") + "}",
        ]
        if "ODBC Driver" in self.driver:
            parts.append(f"Encrypt={'yes' if self.encrypt else 'no'}")
        else:
            parts += [f"PORT={self.port}", "TDS_Version=7.4"]
        return ";".join(parts)


class PromptAdsSqlServerSettings(SqlServerSettings):
    model_config = _config("PROMPTADS_MSSQL_")  # PROMPTADS_MSSQL_HOST, _PORT, _USER, _PASSWORD, ...
    database: str = "PromptAds"


class PromptCrmSqlServerSettings(SqlServerSettings):
    model_config = _config("PROMPTCRM_MSSQL_")  # PROMPTCRM_MSSQL_HOST, _PORT, _USER, _PASSWORD, ...
    database: str = "PromptCrm"


class MongoSettings(BaseSettings):
    model_config = _config("MONGODB_")
    host: str = "127.0.0.1"  # MONGODB_HOST
    port: int = 57017  # MONGODB_PORT
    database: str = "promptcontent"  # MONGODB_DATABASE
    # MONGODB_URI overrides host/port entirely (a replica set in Kubernetes, Atlas, ...).
    uri: SecretStr | None = None

    def connection_uri(self) -> str:
        if self.uri is not None:
            return self.uri.get_secret_value()
        return f"mongodb://{self.host}:{self.port}/?directConnection=true"


class RedisSettings(BaseSettings):
    model_config = _config("REDIS_")
    host: str = "127.0.0.1"  # REDIS_HOST
    port: int = 56379  # REDIS_PORT
    password: SecretStr | None = None  # REDIS_PASSWORD
    db: int = 0  # REDIS_DB
    key_prefix: str = "ps"  # REDIS_KEY_PREFIX, first segment of every key we write
    tls: bool = False  # REDIS_TLS: connect with TLS (rediss://), as in Kubernetes through HAProxy's TLS port
    ca_file: str | None = None  # REDIS_CA_FILE: the CA that signed the server certificate (with REDIS_TLS)

    def url(self) -> str:
        auth = f":{self.password.get_secret_value()}@" if self.password else ""
        return f"{'rediss' if self.tls else 'redis'}://{auth}{self.host}:{self.port}/{self.db}"

    def tls_options(self) -> dict:
        """Extra redis-py arguments for TLS: verify the server against REDIS_CA_FILE."""
        if not self.tls:
            return {}
        return {"ssl_cert_reqs": "required", "ssl_ca_certs": self.ca_file, "ssl_check_hostname": True}


class N8nSettings(BaseSettings):
    model_config = _config("N8N_")
    host: str = "127.0.0.1"  # N8N_HOST, where the local n8n listens
    port: int = 5678  # N8N_PORT
    # N8N_BASE_URL: how our code reaches n8n (the in-cluster Service in Kubernetes).
    base_url: str | None = None
    encryption_key: SecretStr | None = None  # N8N_ENCRYPTION_KEY, encrypts n8n's stored credentials
    # N8N_WEBHOOK_SECRET: the value of the X-PromptSales-Secret header our webhooks require.
    webhook_secret: SecretStr | None = None
    # N8N_OWNER_EMAIL, N8N_OWNER_PASSWORD: n8n's owner account, the editor's login. The local n8n sets it
    # from these at every start (the password is generated into .promptsales/local.env); `promptsales n8n
    # export|import` log in with it to read n8n's workflows through the REST API the editor uses.
    owner_email: str = "owner@promptsales.local"
    owner_password: SecretStr | None = None
    # N8N_EXECUTIONS_MAX_AGE_HOURS, N8N_EXECUTIONS_MAX_COUNT: how long and how many executions n8n keeps
    # (the editor's Executions tab); n8n prunes older ones itself.
    executions_max_age_hours: int = Field(default=168, ge=1)
    executions_max_count: int = Field(default=5000, ge=1)
    # N8N_PAYLOAD_SIZE_MAX: the largest webhook body, in MB (n8n's own variable; a larger one gets 413).
    payload_size_max: int = Field(default=16, ge=1)
    # N8N_PUBLIC_WEBHOOKS: webhook paths called without the secret header (comma-separated): the Canva
    # OAuth redirect, which a browser follows. Every other webhook is refused without it before n8n reads
    # the body (localstack/n8n/webhook-guard.js).
    public_webhooks: str = "canva/oauth/callback"

    def url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")


class McpOAuthSettings(BaseSettings):
    """OAuth 2.1 protection of the MCP servers over HTTP (they act as resource servers; the authorization
    server is yours: Keycloak, Entra ID, Auth0, ...). Off by default: the local stack serves on 127.0.0.1
    with no token. Without it, `mcp serve --transport http` refuses a non-loopback address unless
    MCP_OAUTH_ALLOW_ANONYMOUS says so."""

    model_config = _config("MCP_OAUTH_")
    enabled: bool = False  # MCP_OAUTH_ENABLED: require a valid bearer token on every MCP request
    # MCP_OAUTH_ISSUER_URL: the authorization server (the `iss` every token must carry); advertised to
    # clients in the protected-resource metadata (RFC 9728).
    issuer_url: str | None = None
    # MCP_OAUTH_JWKS_URL: where the authorization server publishes its signing keys.
    jwks_url: str | None = None
    # MCP_OAUTH_RESOURCE_URL: this server's public URL (https://.../mcp); tokens must name it in `aud`
    # (RFC 8707 resource indicators), so a token issued for another service is refused.
    resource_url: str | None = None
    # MCP_OAUTH_REQUIRED_SCOPES: scopes every token must hold, comma-separated (JSON list also accepted).
    required_scopes: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # MCP_OAUTH_ALGORITHMS: signature algorithms accepted (never "none", never HMAC with a public key).
    algorithms: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["RS256", "ES256", "PS256"])
    # MCP_OAUTH_ALLOW_ANONYMOUS: serve without tokens on a non-loopback address (a laptop cluster only).
    allow_anonymous: bool = False

    @field_validator("required_scopes", "algorithms", mode="before")
    @classmethod
    def _comma_separated(cls, value):
        if isinstance(value, str):
            text = value.strip()
            return (
                json.loads(text)
                if text.startswith("[")
                else [v.strip() for v in text.split(",") if v.strip()]
            )
        return value


class OpenAISettings(BaseSettings):
    model_config = _config("OPENAI_")
    api_key: SecretStr | None = None  # OPENAI_API_KEY; unset = template composer, clearly marked
    base_url: str | None = None  # OPENAI_BASE_URL, any OpenAI-compatible server
    chat_model: str = "gpt-4o-mini"  # OPENAI_CHAT_MODEL
    embedding_model: str = "text-embedding-3-small"  # OPENAI_EMBEDDING_MODEL, used only with a key
    # OPENAI_EMBEDDINGS: "local" = all-MiniLM-L6-v2 offline (default); "openai" = embedding_model (needs a key).
    embeddings: Literal["local", "openai"] = "local"


class PineconeSettings(BaseSettings):
    model_config = _config("PINECONE_")
    api_key: SecretStr | None = None  # PINECONE_API_KEY; unset = pgvector is the vector index
    index: str = "promptcontent-images"  # PINECONE_INDEX


class CanvaSettings(BaseSettings):
    model_config = _config("CANVA_")
    client_id: str | None = None  # CANVA_CLIENT_ID, from the Canva developer portal
    client_secret: SecretStr | None = None  # CANVA_CLIENT_SECRET
    redirect_uri: str | None = None  # CANVA_REDIRECT_URI, the n8n callback webhook URL
    api_base: str = "https://api.canva.com/rest/v1"  # CANVA_API_BASE (a local fake in tests)
    authorize_url: str = "https://www.canva.com/api/oauth/authorize"  # CANVA_AUTHORIZE_URL
    scopes: str = "asset:read asset:write design:content:read design:content:write design:meta:read"
    # CANVA_TOKEN_KEY: 32 bytes, base64, the AES-256-GCM key that encrypts stored tokens.
    token_key: SecretStr | None = None


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """The whole tree. Each section is its own BaseSettings with its own prefix (POSTGRES_, REDIS_, ...);
    the top-level keys use PROMPTSALES_. Every key is read from the same places, in this order, the first
    that sets it winning: keyword arguments (what command-line flags set), the process environment, the
    project's `.env`, `.promptsales/local.env`, the default here. `Settings(_env_file=...)` points the
    whole tree at other files (tests do)."""

    model_config = SettingsConfigDict(env_prefix="PROMPTSALES_", env_file=ENV_FILES, extra="ignore")
    environment: Literal["local", "kubernetes"] = "local"  # PROMPTSALES_ENVIRONMENT
    # PROMPTSALES_SOURCES: where PromptAds/PromptCrm live. "standin" = the PostgreSQL stand-ins of
    # the local stack; "sqlserver" = the real SQL Server databases through pyodbc.
    sources: Literal["standin", "sqlserver"] = "standin"
    # PROMPTSALES_LOG_LEVEL: what the MCP servers log to stderr (DEBUG, INFO, WARNING, ERROR; any case).
    log_level: LogLevel = "WARNING"
    postgres: PostgresSettings = Field(default_factory=PostgresSettings)
    promptads_mssql: PromptAdsSqlServerSettings = Field(default_factory=PromptAdsSqlServerSettings)
    promptcrm_mssql: PromptCrmSqlServerSettings = Field(default_factory=PromptCrmSqlServerSettings)
    mongodb: MongoSettings = Field(default_factory=MongoSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    n8n: N8nSettings = Field(default_factory=N8nSettings)
    mcp_oauth: McpOAuthSettings = Field(default_factory=McpOAuthSettings)
    openai: OpenAISettings = Field(default_factory=OpenAISettings)
    pinecone: PineconeSettings = Field(default_factory=PineconeSettings)
    canva: CanvaSettings = Field(default_factory=CanvaSettings)

    def __init__(self, _env_file: DotenvType | None = ENV_FILE_SENTINEL, **values: Any) -> None:
        # A section's default_factory would read only its own class's env_file: build each section here
        # with the files this tree was given, unless the caller passed that section whole.
        for name, section in SECTIONS.items():
            if name not in values:
                values[name] = section(_env_file=_env_file)
        super().__init__(_env_file=_env_file, **values)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value):
        return value.upper() if isinstance(value, str) else value


def load_settings(**flags: Any) -> Settings:
    """The settings with these command-line flags on top (a flag given as None was not given: the
    environment, `.env`, local.env or the default decide); the shared cached tree when no flag was given.
    InvalidInput, naming the variable, when a value is not one the setting accepts."""
    given = {key: value for key, value in flags.items() if value is not None}
    return _build(**given) if given else get_settings()


def _build(**values: Any) -> Settings:
    try:
        return Settings(**values)
    except ValidationError as exc:
        # Name the variable a person sets (PROMPTSALES_SOURCES, POSTGRES_PORT), not pydantic's field path.
        prefix = {
            cls.__name__: cls.model_config.get("env_prefix", "") for cls in (Settings, *SECTIONS.values())
        }.get(exc.title, "")
        problems = "; ".join(
            f"{prefix}{'_'.join(map(str, e['loc'])).upper()}: {e['msg']} (got {shown(e.get('input'))})"
            for e in exc.errors(include_url=False)
        )
        raise InvalidInput(f"invalid setting: {problems} (see secrets-templates/.env.example)") from None


# The tree's sections (field name -> class), each a BaseSettings with its own prefix.
SECTIONS: dict[str, type[BaseSettings]] = {
    name: field.annotation
    for name, field in Settings.model_fields.items()
    if isinstance(field.annotation, type) and issubclass(field.annotation, BaseSettings)
}


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return _build()


def reload_settings() -> Settings:
    """Forget cached settings (after `stack up` writes generated local values)."""
    get_settings.cache_clear()
    return get_settings()
