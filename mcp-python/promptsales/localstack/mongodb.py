"""A MongoDB-wire server for PromptContent: SecantusDB (`secantusd-py`) on WiredTiger, 127.0.0.1 only.

No real mongod installs on these machines (ARCHITECTURE.md). SecantusDB enforces $jsonSchema
validators and runs GridFS, aggregation, transactions and change streams; it has no text indexes.
Locally it runs without authentication, bound to loopback; Kubernetes runs a real MongoDB with auth.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pymongo
from pymongo.errors import PyMongoError

from promptsales.errors import Unavailable
from promptsales.localstack.base import ManagedProcess, ServiceStatus, port_in_use, wait_until
from promptsales.settings import Settings


class MongoService:
    name = "mongodb"

    def __init__(self, settings: Settings):
        self.settings = settings.mongodb
        self.proc = ManagedProcess("mongodb")

    def address(self) -> str:
        return f"mongodb://{self.settings.host}:{self.settings.port}"

    def _client(self) -> pymongo.MongoClient:
        return pymongo.MongoClient(self.settings.connection_uri(), serverSelectionTimeoutMS=1500)

    def _ping(self) -> bool:
        try:
            with self._client() as client:
                client.admin.command("ping")
            return True
        except PyMongoError:
            return False

    def start(self) -> None:
        if self.proc.pid() is not None:
            return
        # The launcher sits beside the interpreter in the venv; fall back to PATH.
        binary = Path(sys.executable).with_name("secantusd-py")
        binary_path = str(binary) if binary.exists() else shutil.which("secantusd-py")
        if binary_path is None:
            raise Unavailable("mongodb: secantusd-py is not installed (pip install secantusdb)")
        if port_in_use(self.settings.host, self.settings.port):
            raise Unavailable(
                f"mongodb: port {self.settings.port} on {self.settings.host} is already in use by "
                "another process (set MONGODB_PORT to a free port)"
            )
        data = self.proc.dir / "data"
        data.mkdir(parents=True, exist_ok=True)
        self.proc.start(
            [
                binary_path,
                "--host",
                self.settings.host,
                "--port",
                str(self.settings.port),
                "--storage-path",
                str(data),
                "--log-level",
                "WARNING",
                "--cache-size",
                "512M",
            ]
        )
        wait_until(
            self._ping,
            timeout=30,
            what="mongodb",
            log=self.proc.log,
            alive=lambda: self.proc.pid() is not None,
            condition="it answers the ping command",
        )

    def stop(self) -> bool:
        return self.proc.stop()

    def status(self) -> ServiceStatus:
        pid = self.proc.pid()
        healthy, detail = False, "not running"
        if pid is not None:
            try:
                with self._client() as client:
                    version = client.server_info().get("version", "?")
                healthy, detail = True, f"SecantusDB (MongoDB wire, reports {version})"
            except PyMongoError as exc:
                detail = f"not answering: {str(exc).splitlines()[0]}"
        return ServiceStatus(self.name, self.address(), pid is not None, healthy, pid, detail)
