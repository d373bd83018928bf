"""The edge served by two HTTP worker processes and the site agent: picks made in any worker reach the centre."""
import os
import re
import signal
import time

from deploy.mosquitto import free_port
from deploy.processes import SAMPLE_DIR, ServiceProcess, http_json

from .flow import SITE, Network, pick_everything, wait_until


def test_worker_processes_serve_the_floor_and_the_agent_syncs_every_event(tmp_path, broker):
    net = Network(tmp_path, broker)
    net.edge = ServiceProcess("edge", [
        "--site", SITE, "--db", str(tmp_path / f"edge-{SITE}.db"), "--mqtt-url", broker.url,
        "--seed", str(SAMPLE_DIR / f"{SITE}.json"), "--resend-after", "2", "--workers", "3"],
        free_port(), tmp_path / f"edge-{SITE}.log")
    net.start()
    try:
        order_id = net.create_order([{"sku": "SKU-BLUE-MUG", "qty": 3}, {"sku": "SKU-KETTLE", "qty": 1}], "W-1")
        wait_until(lambda: net.central_order(order_id)["status"] == "released", 30, "the site to release the order")
        picker = net.picker()
        assert pick_everything(picker) == 2
        picker.close_carton(order_id)
        assert picker.ship(order_id)["order_status"] == "shipped"
        wait_until(lambda: net.central_order(order_id)["status"] == "shipped", 30, "the centre to see the shipment")
        net.assert_synced_exactly_once()
        health = wait_until(lambda: (h := http_json("GET", f"{net.edge.url}/api/v1/sync")[1])["connected"] and h,
                            15, "a worker to report the agent's link")
        assert health["agent_running"] is True and health["lag_events"] == 0
        agent, workers = _agent_and_workers(net.edge.process.pid)
        assert len(workers) == 2
        lowest_worker = min(_niceness(pid, thread) for pid in workers for thread in os.listdir(f"/proc/{pid}/task"))
        assert lowest_worker >= min(19, _niceness(agent, str(agent)) + 10)  # the writer's process comes first
        assert {"command-writer", f"sync-{SITE}"} <= _thread_names(agent)  # as top -H shows them
    finally:
        net.stop()
    ran = re.search(r"command writer ran (\d+) commands", (tmp_path / f"edge-{SITE}.log").read_text())
    assert ran and int(ran.group(1)) >= 6  # next task, scans and picks went through the agent's writer


def test_a_killed_serving_process_takes_its_agent_and_workers_with_it(tmp_path, broker):
    edge = ServiceProcess("edge", [
        "--site", SITE, "--db", str(tmp_path / f"edge-{SITE}.db"), "--mqtt-url", broker.url,
        "--seed", str(SAMPLE_DIR / f"{SITE}.json"), "--workers", "3"], free_port(), tmp_path / f"edge-{SITE}.log")
    edge.start()
    agent, workers = _agent_and_workers(edge.process.pid)
    try:
        assert len(workers) == 2
        time.sleep(1)  # running, not starting: a process ending at once would not show the point
        assert all(_alive(pid) for pid in [agent, *workers])
        edge.kill()  # kill -9: the serving process stops nobody itself
        wait_until(lambda: not any(_alive(pid) for pid in [agent, *workers]), 20,
                   "the agent and the HTTP workers to end with the serving process")
    finally:
        edge.kill()
        for pid in [agent, *workers]:  # left behind only if the test failed
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    log = (tmp_path / f"edge-{SITE}.log").read_text()
    assert "command writer ran" in log  # the agent stopped in good order (SIGTERM), not killed


def _alive(pid: int) -> bool:
    try:
        return _stat_fields(f"/proc/{pid}/stat")[0] != "Z"  # a zombie has ended; only its parent's wait is missing
    except OSError:
        return False

def _agent_and_workers(serving_pid: int) -> tuple[int, list[int]]:
    children = [int(pid) for pid in os.listdir("/proc") if pid.isdigit() and _parent(int(pid)) == serving_pid]
    agents = [pid for pid in children if "agent" in _command_line(pid)]
    assert len(agents) == 1, children
    return agents[0], [pid for pid in children if pid != agents[0]]


def _command_line(pid: int) -> list[str]:
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        return cmdline.read().decode().split("\0")


def _stat_fields(path: str) -> list[str]:
    with open(path) as stat:
        return stat.read().rpartition(")")[2].split()  # from field 3 (state) on


def _parent(pid: int) -> int:
    try:
        return int(_stat_fields(f"/proc/{pid}/stat")[1])
    except OSError:
        return -1


def _thread_names(pid: int) -> set[str]:
    names = set()
    for thread in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{thread}/comm") as comm:
            names.add(comm.read().strip())
    return names


def _niceness(pid: int, thread: str) -> int:
    return int(_stat_fields(f"/proc/{pid}/task/{thread}/stat")[16])  # field 19: nice
