"""Start a throwaway PostgreSQL cluster (tests, benchmarks): initdb into a temp dir, a free loopback port.

initdb refuses to run as root, so under root (CI) the cluster runs as the `postgres` user the Debian package creates.
"""
import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .mosquitto import free_port


def postgres_bindir() -> str | None:
    """Return the directory of initdb and pg_ctl (pg_config's, else the newest Debian one), or None."""
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True).stdout.strip()
        if out and os.path.exists(os.path.join(out, "pg_ctl")):
            return out
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[-3]))
    return os.path.dirname(candidates[-1]) if candidates else None


class PostgresCluster:
    """Start a private cluster (fsync off: a test database need not survive a power cut) and stop it again."""

    def __init__(self, bindir: str, durable: bool = False):
        self.bindir, self.durable = bindir, durable
        self.workdir = Path(tempfile.mkdtemp(prefix="wes-pg-"))
        self.data, self.sockets = self.workdir / "data", self.workdir / "run"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    @property
    def url(self) -> str:
        """The URL of the maintenance database `postgres`."""
        return self.database_url("postgres")

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args: str) -> None:
        cmd = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"{args[0]} failed ({result.returncode}): {result.stderr or result.stdout}")

    def start(self) -> "PostgresCluster":
        self.sockets.mkdir()
        if self.as_root:
            shutil.chown(self.workdir, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8",
                  "--locale=C")
        # a benchmark against SQLite's FULL commits wants a durable server too; tests do not
        safety = "" if self.durable else " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories={self.sockets}"
                   f"{safety} -c max_connections=200 -c shared_buffers=128MB")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.workdir / "server.log"),
                  "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except RuntimeError:
            pass  # already gone: nothing to stop
        shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> "PostgresCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_ready(url: str, timeout: float = 30.0) -> None:
    """Wait until the server accepts connections."""
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url, autocommit=True).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
