"""Run the hub and a site as real processes on loopback, and talk to their HTTP APIs."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib import error, request

SAMPLE_DIR = Path(__file__).parent / "sample"


def http_json(method: str, url: str, body: dict | None = None, timeout: float = 10.0):
    """Call a JSON endpoint; return (status, parsed body)."""
    data = json.dumps(body).encode() if body is not None else None
    req = request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with request.urlopen(req, timeout=timeout) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


def wait_until(check, timeout: float = 30.0, what: str = "condition", interval: float = 0.1):
    """Call check until it returns something truthy and return that; raise TimeoutError naming what never came."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[2]} exited with code {process.returncode}; see its log")
        try:
            if http_json("GET", url + "/health", timeout=1)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy in {timeout:.0f}s")


class ServiceProcess:
    """One `python -m <package> serve ...` process with its log file."""

    def __init__(self, package: str, args: list[str], port: int, log_path: Path):
        self.package, self.args, self.port, self.log_path = package, args, port, log_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ServiceProcess":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", self.package, "serve", *self.args, "--host", "127.0.0.1",
                 "--port", str(self.port)],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        try:
            wait_healthy(self.url, self.process)
        except RuntimeError:
            self.kill()
            raise
        return self

    def stop(self) -> None:
        stop_process(self.process)

    def kill(self) -> None:
        """Kill -9: no clean shutdown, no offline message except the broker's will."""
        kill_process(self.process)


def stop_process(process: subprocess.Popen | None) -> None:
    """Ask a process to stop (SIGTERM), killing it if it has not stopped in 10 s."""
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def kill_process(process: subprocess.Popen | None) -> None:
    """Kill -9: no clean shutdown."""
    if process and process.poll() is None:
        process.kill()
        process.wait(5)


class IngestWorkerProcess:
    """One `python -m central ingest-worker ...` process (no HTTP): ready once its log says it reached the broker."""

    def __init__(self, worker_id: str, db: str, mqtt_url: str, log_path: Path, *extra: str):
        self.worker_id, self.db, self.log_path = worker_id, db, log_path
        self.args = ["--db", db, "--mqtt-url", mqtt_url, "--worker-id", worker_id, *extra]
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30.0) -> "IngestWorkerProcess":
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "central", "ingest-worker", *self.args], stdout=log, stderr=log,
                stdin=subprocess.DEVNULL, env=dict(os.environ, PYTHONUNBUFFERED="1"))
        wait_until(lambda: self.process.poll() is not None or self._logged("connected to MQTT", offset), timeout,
                   f"ingest worker {self.worker_id} to connect")
        if self.process.poll() is not None:
            raise RuntimeError(f"ingest worker {self.worker_id} exited with code {self.process.returncode}; "
                               f"see {self.log_path}")
        return self

    def _logged(self, text: str, offset: int) -> bool:
        with open(self.log_path, "rb") as log:
            log.seek(offset)
            return text.encode() in log.read()

    def stop(self) -> None:
        stop_process(self.process)

    def kill(self) -> None:
        """Kill -9: no clean shutdown, no offline message except the broker's will."""
        kill_process(self.process)


def central_process(workdir: Path, mqtt_url: str, port: int, resend_after: float = 5,
                    seed: Path | None = None) -> ServiceProcess:
    return ServiceProcess("central", [
        "--db", str(workdir / "central.db"), "--mqtt-url", mqtt_url,
        "--seed", str(seed or SAMPLE_DIR / "catalogue.json"), "--resend-after", str(resend_after)],
        port, workdir / "central.log")


def edge_process(workdir: Path, site: str, mqtt_url: str, port: int, resend_after: float = 5,
                 seed: Path | None = None) -> ServiceProcess:
    return ServiceProcess("edge", [
        "--site", site, "--db", str(workdir / f"edge-{site}.db"), "--mqtt-url", mqtt_url,
        "--seed", str(seed or SAMPLE_DIR / f"{site}.json"), "--resend-after", str(resend_after)],
        port, workdir / f"edge-{site}.log")


def mint_enrolment_code(workdir: Path, site: str, minutes: float = 30) -> str:
    """Mint a single-use handheld enrolment code the way a site lead does: `wes-edge enrolment-code`."""
    result = subprocess.run(
        [sys.executable, "-m", "edge", "enrolment-code", "--site", site, "--db", str(workdir / f"edge-{site}.db"),
         "--minutes", str(minutes), "--json"], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"wes-edge enrolment-code failed: {result.stderr.strip()}")
    return json.loads(result.stdout.strip().splitlines()[-1])["enrolment_code"]


def add_dashboard_user(workdir: Path, site: str, username: str, role: str) -> str:
    """Create a dashboard login the way an admin does (`wes-edge add-user`) and return its generated password."""
    result = subprocess.run(
        [sys.executable, "-m", "edge", "add-user", "--site", site, "--db", str(workdir / f"edge-{site}.db"),
         "--username", username, "--role", role], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise RuntimeError(f"wes-edge add-user failed: {result.stderr.strip()}")
    return result.stdout.strip().rsplit(": ", 1)[-1]


def stock_map(rows: list[dict]) -> dict[tuple, int]:
    """Reduce stock rows to {(location, sku, lot): qty}, leaving out zero rows."""
    result: dict[tuple, int] = {}
    for row in rows:
        key = (row["location"], row["sku"], row.get("lot") or "")
        result[key] = result.get(key, 0) + row["qty"]
    return {key: qty for key, qty in result.items() if qty != 0}
