"""Start a private Mosquitto broker on a free loopback port (demo and tests)."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from .broker_tls import tls_listener

INSTALL_HINT = ("Mosquitto is not installed. Install it with `sudo apt-get install mosquitto` "
                "(Debian/Ubuntu) or `brew install mosquitto` (macOS), then run this again.")


def find_mosquitto() -> str | None:
    """Return the path of the mosquitto binary, looking in sbin too (Debian puts it there)."""
    found = shutil.which("mosquitto")
    if found:
        return found
    for candidate in ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto", "/opt/homebrew/sbin/mosquitto"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.05)
    return False


class MosquittoBroker:
    """A Mosquitto process bound to 127.0.0.1 with persistence off, stoppable and restartable."""

    def __init__(self, port: int | None = None, workdir: str | None = None, access_kit: str | None = None,
                 tls_dir: str | None = None):
        self.binary = find_mosquitto()
        if not self.binary:
            raise RuntimeError(INSTALL_HINT)
        self.port = port or free_port()
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="wes-mqtt-"))
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.access_kit = Path(access_kit) if access_kit else None
        self.tls_dir = Path(tls_dir) if tls_dir else None  # ca.crt, server.crt, server.key (wes-mqtt-access --tls)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"{'mqtts' if self.tls_dir else 'mqtt'}://127.0.0.1:{self.port}"

    def start(self) -> "MosquittoBroker":
        conf = self.workdir / "mosquitto.conf"
        access = "allow_anonymous true\n"
        if self.access_kit:  # logins and ACL from wes-mqtt-access
            access = (f"allow_anonymous false\npassword_file {self.access_kit / 'passwords'}\n"
                      f"acl_file {self.access_kit / 'acl'}\n")
        listener = (tls_listener(self.port, self.tls_dir, "127.0.0.1") if self.tls_dir
                    else f"listener {self.port} 127.0.0.1\n")
        conf.write_text(
            f"{listener}{access}persistence false\n"
            "max_queued_messages 100000\nset_tcp_nodelay true\nlog_dest stderr\nlog_type error\nlog_type warning\n"
            + ("user root\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""))
        with open(self.workdir / "mosquitto.log", "ab") as log:
            self.process = subprocess.Popen([self.binary, "-c", str(conf)], stdout=log, stderr=log,
                                            stdin=subprocess.DEVNULL)
        if not wait_for_port(self.port):
            self.stop()
            raise RuntimeError(f"Mosquitto did not start on port {self.port}; see {self.workdir / 'mosquitto.log'}")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        self.process = None

    def __enter__(self) -> "MosquittoBroker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
