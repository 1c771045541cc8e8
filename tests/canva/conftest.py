"""The Canva flow under test: our real n8n, PostgreSQL, Redis and MongoDB, and a fake Canva over HTTP.

Once per session: start the fake Canva, point the integration record and the n8n credentials at it
(the same code paths `promptsales db init` / `promptsales n8n import` use, with settings whose Canva
URLs and client are the fake's), import and publish the four canva-*.json workflows.
Before each test: forget the stored tokens, reset the fake and the record's status.
"""

from __future__ import annotations

import base64
import hashlib
import io
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pymongo
import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from PIL import Image
from promptsales import clients
from promptsales.canva import integration
from promptsales.localstack.n8n import N8nService
from promptsales.n8n_client import SECRET_HEADER
from promptsales.n8n_credentials import credentials_from_settings
from promptsales.settings import PROJECT_ROOT, STATE_DIR, CanvaSettings, Settings
from promptsales_testkit.fakes.canva_server import FakeCanvaServer
from pydantic import SecretStr

WORKFLOWS = sorted((PROJECT_ROOT / "n8n-workflows").glob("canva-*.json"))


@dataclass
class CanvaEnv:
    settings: Settings
    fake: FakeCanvaServer
    http: httpx.Client  # to n8n, with the webhook secret
    mongo: pymongo.MongoClient

    # -- the fake's side ------------------------------------------------------------------------------------
    def control(self, action: str, **body) -> None:
        httpx.post(f"{self.fake.base_url}/_test/{action}", json=body, timeout=5).raise_for_status()

    def fake_state(self) -> dict:
        return httpx.get(f"{self.fake.base_url}/_test/state", timeout=5).json()

    def calls(self) -> dict:
        return self.fake_state()["calls"]

    # -- n8n webhooks ---------------------------------------------------------------------------------------
    def webhook(self, path: str, payload: dict) -> httpx.Response:
        return self.http.post(f"{self.settings.n8n.url()}/webhook/{path}", json=payload)

    def start(self) -> dict:
        response = self.webhook(integration.WEBHOOK_CONNECT, {})
        assert response.status_code == 200, response.text
        return response.json()

    def consent(self, authorize_url: str) -> str:
        """What the browser does: open the authorize URL, get Canva's redirect back to our callback."""
        response = httpx.get(authorize_url, follow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        return response.headers["location"]

    def callback(self, url: str) -> httpx.Response:
        return httpx.get(url, timeout=60)

    def connect(self) -> dict:
        redirect = self.consent(self.start()["authorizeUrl"])
        response = self.callback(redirect)
        assert response.status_code == 200, response.text
        return response.json()

    def refresh(self, **payload) -> dict:
        response = self.webhook(integration.WEBHOOK_REFRESH, payload)
        assert response.status_code == 200, response.text
        return response.json()

    # -- what is stored -------------------------------------------------------------------------------------
    def token_row(self) -> dict | None:
        with clients.postgres(self.settings) as conn:
            cur = conn.execute(
                "SELECT access_token_enc, refresh_token_enc, version, status, refreshing_until, "
                "expires_at FROM canva.oauth_tokens WHERE integration = 'canva'"
            )
            row = cur.fetchone()
            return None if row is None else dict(zip([c.name for c in cur.description], row))

    def record(self) -> dict:
        return clients.mongo_db(self.mongo, self.settings)[integration.COLLECTION].find_one(
            {"name": "canva"}, {"_id": 0}
        )

    def decrypt(self, stored: str) -> str:
        """Decrypt n8n's Crypto node output (v1 layout) with CANVA_TOKEN_KEY, as an auditor would."""
        raw = base64.b64decode(stored)
        assert raw[0] == 1
        salt, iv, tag, ciphertext = raw[1:17], raw[17:29], raw[29:45], raw[45:]
        key = hashlib.scrypt(
            self.settings.canva.token_key.get_secret_value().encode(),
            salt=salt,
            n=65536,
            r=8,
            p=1,
            dklen=32,
            maxmem=128 * 1024 * 1024,
        )
        return AESGCM(key).decrypt(iv, ciphertext + tag, None).decode()


def _wait_for_webhooks(env: CanvaEnv, timeout: float = 60) -> None:
    # n8n reports ready before it has registered the published webhooks: wait until ours answer.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if env.webhook(integration.WEBHOOK_ASSETS, {}).status_code != 404:
            return
        time.sleep(0.5)
    raise RuntimeError("the Canva webhooks did not register in n8n")


def _import_workflows_if_changed(service: N8nService, env: CanvaEnv) -> None:
    """Import and publish the workflows unless this n8n already serves these exact files.

    Importing costs eight n8n CLI runs and a restart (about a minute on this machine), so the digest of
    what was imported is kept beside n8n's database; a changed file or a missing webhook imports again.
    """
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in WORKFLOWS)).hexdigest()
    marker = STATE_DIR / "n8n" / "canva-workflows.sha256"
    served = env.webhook(integration.WEBHOOK_ASSETS, {}).status_code != 404
    if served and marker.exists() and marker.read_text() == digest:
        return
    service.import_workflows(WORKFLOWS)
    marker.write_text(digest)


@pytest.fixture(scope="session")
def canva_env(n8n: Settings) -> Iterator[CanvaEnv]:
    fake = FakeCanvaServer(
        client_id=f"client-{secrets.token_hex(4)}", client_secret=secrets.token_urlsafe(18)
    ).start()
    settings = n8n.model_copy(
        update={
            "canva": CanvaSettings(
                client_id=fake.state.client_id,
                client_secret=SecretStr(fake.state.client_secret),
                api_base=fake.api_base,
                authorize_url=fake.authorize_url,
                token_key=n8n.canva.token_key,
            )
        }
    )
    integration.apply(settings)
    service = N8nService(settings)
    # n8n reads credentials from its database on every execution: no restart needed for the fake's client.
    service.import_credentials(credentials_from_settings(settings))
    http = httpx.Client(timeout=120, headers={SECRET_HEADER: settings.n8n.webhook_secret.get_secret_value()})
    mongo = clients.mongo(settings)
    env = CanvaEnv(settings, fake, http, mongo)
    _import_workflows_if_changed(service, env)
    _wait_for_webhooks(env)
    yield env
    # Point the record back at the configured Canva, so nothing else sees the fake's dead address.
    integration.write_record(clients.mongo_db(mongo, n8n), n8n)
    http.close()
    mongo.close()
    fake.stop()


@pytest.fixture
def canva(canva_env: CanvaEnv) -> CanvaEnv:
    with clients.postgres(canva_env.settings) as conn:
        conn.execute("DELETE FROM canva.oauth_tokens WHERE integration = 'canva'")
        conn.commit()
    clients.mongo_db(canva_env.mongo, canva_env.settings)[integration.COLLECTION].update_one(
        {"name": "canva"}, {"$set": {"status": "not_connected", "lastRefreshAt": None, "lastError": None}}
    )
    canva_env.control("reset")
    return canva_env


def png_bytes(colour: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def images_db(fresh_mongo_db):
    """A fresh database with img-0001 in GridFS the way generators/content stores it (master + thumbnail)."""
    import gridfs

    fs = gridfs.GridFS(fresh_mongo_db)
    fs.put(
        png_bytes(),
        filename="img-0001.png",
        contentType="image/png",
        metadata={"code": "img-0001", "format": "master", "title": "Red test card", "generated": True},
    )
    # Stored after the master, so picking the newest file of the code would wrongly send the thumbnail.
    fs.put(
        png_bytes((10, 10, 10)),
        filename="img-0001-thumb.png",
        contentType="image/png",
        metadata={"code": "img-0001", "format": "thumbnail", "generated": True},
    )
    return fresh_mongo_db
