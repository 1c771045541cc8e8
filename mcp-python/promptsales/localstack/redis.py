"""Redis (Debian's redis-server) on 127.0.0.1 with a password; the cache of C3/RD1."""

from __future__ import annotations

import shutil

import redis

from promptsales.errors import Unavailable
from promptsales.localstack.base import ManagedProcess, ServiceStatus, port_in_use, wait_until
from promptsales.settings import Settings


class RedisService:
    name = "redis"

    def __init__(self, settings: Settings):
        self.settings = settings.redis
        self.proc = ManagedProcess("redis")

    def address(self) -> str:
        return f"redis://{self.settings.host}:{self.settings.port}"

    def _client(self) -> redis.Redis:
        return redis.Redis.from_url(self.settings.url(), socket_timeout=2, socket_connect_timeout=2)

    def _ping(self) -> bool:
        try:
            return bool(self._client().ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        if self.proc.pid() is not None:
            return
        binary = shutil.which("redis-server")
        if binary is None:
            raise Unavailable(
                "redis: redis-server is not installed (scripts/bootstrap installs the Debian "
                "package redis-server)"
            )
        if port_in_use(self.settings.host, self.settings.port):
            raise Unavailable(
                f"redis: port {self.settings.port} on {self.settings.host} is already in use by "
                "another process (set REDIS_PORT to a free port)"
            )
        if self.settings.password is None:
            raise Unavailable("redis: REDIS_PASSWORD is not set")
        self.proc.dir.mkdir(parents=True, exist_ok=True)
        conf = self.proc.dir / "redis.conf"
        # The password goes in a private file, not on the command line where `ps` would show it.
        conf.touch(mode=0o600)
        conf.write_text(
            "\n".join(
                [
                    f"bind {self.settings.host}",
                    f"port {self.settings.port}",
                    f'requirepass "{self.settings.password.get_secret_value()}"',
                    f"dir {self.proc.dir}",
                    "save 900 1",
                    "appendonly no",
                    "maxmemory 512mb",
                    # A cache: evict the least recently used key that has a TTL, never a key without one.
                    "maxmemory-policy volatile-lru",
                    "protected-mode yes",
                    "",
                ]
            )
        )
        self.proc.start([binary, str(conf)])
        wait_until(
            self._ping,
            timeout=15,
            what="redis",
            log=self.proc.log,
            alive=lambda: self.proc.pid() is not None,
            condition="it answers PING",
        )

    def stop(self) -> bool:
        return self.proc.stop()

    def status(self) -> ServiceStatus:
        pid = self.proc.pid()
        healthy, detail = False, "not running"
        if pid is not None:
            try:
                info = self._client().info("server")
                healthy, detail = True, f"Redis {info['redis_version']}, password required"
            except redis.RedisError as exc:
                detail = f"not answering: {exc}"
        return ServiceStatus(self.name, self.address(), pid is not None, healthy, pid, detail)
