"""Serve the edge's HTTP API from several gunicorn worker processes, with the site agent beside them."""
import logging
import os
import signal
import subprocess
import sys

from gunicorn.app.base import BaseApplication

log = logging.getLogger(__name__)


class EdgeWorkers(BaseApplication):
    """gunicorn run from code: each worker builds its own app; threads keep many handhelds' connections open."""

    def __init__(self, app_factory, host: str, port: int, workers: int, threads: int = 64):
        self.app_factory = app_factory
        self.settings = {"bind": f"{host}:{port}", "workers": workers, "worker_class": "gthread",
                         "threads": threads, "worker_connections": 1000, "keepalive": 75, "graceful_timeout": 10,
                         "timeout": 60, "accesslog": None, "loglevel": "warning", "proc_name": "wes-edge"}
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self):
        return self.app_factory()


def start_agent(agent_args: list[str]) -> subprocess.Popen:
    """Start `wes-edge agent` with the same site, database and broker settings as the server."""
    return subprocess.Popen([sys.executable, "-m", "edge", "agent", *agent_args], stdin=subprocess.DEVNULL,
                            env=dict(os.environ, PYTHONUNBUFFERED="1"))


def stop_agent(agent: subprocess.Popen) -> None:
    """Ask the agent to stop (it publishes the retained offline state first), kill it if it does not."""
    if agent.poll() is None:
        agent.send_signal(signal.SIGTERM)
        try:
            agent.wait(timeout=15)
        except subprocess.TimeoutExpired:
            log.warning("site agent did not stop in 15 s; killing it")
            agent.kill()
            agent.wait()
