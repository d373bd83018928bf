"""Serve the edge's HTTP API from several worker processes (granian), with the site agent beside them.

granian speaks HTTP in Rust threads, outside Python's GIL, and hands each request to a pool of Python threads in its
worker process: on the handheld's hot calls that took ~40% less CPU per request than gunicorn's threaded workers here.
Each worker builds its own app (its own connections; the writer lock orders the processes).
"""
import gc
import json
import logging
import os
import signal
import subprocess
import sys

log = logging.getLogger(__name__)

WORKER_SETTINGS = "WES_EDGE_WORKER_SETTINGS"  # how the serving process tells its workers what to build
SERVING_PID = "WES_EDGE_SERVING_PID"  # the serving process, which the agent and the HTTP workers must not outlive
PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Requests a worker runs at once (more wait in granian, their connections open). Hot writes wait on the site
# agent's command writer, so more requests in flight make bigger group commits: 64 beat 16 and 32 here.
THREADS_PER_WORKER = 64
# How much lower than the site agent an HTTP worker's threads run (nice). The agent's command writer is the one
# stage every hot write passes through, one at a time; the workers' parsing and answering is spread over many
# threads. With both cores busy the scheduler used to pause the writer for the workers: about a fifth of its time
# inside a batch went waiting for a core (measured: 7.4 s wall for 5.8 s of CPU; at +10, 6.5 s for 6.0 s).
WORKER_NICENESS = 10


def worker_app():
    """Build one worker's app from the settings the serving process left in the environment."""
    from edge.bootstrap import worker_app_factory

    settings = json.loads(os.environ[WORKER_SETTINGS])
    end_with_serving_process()
    app = worker_app_factory(settings.pop("site_id"), settings.pop("db_path"), **settings)()
    settle_garbage_collector()
    yield_cpu_to_agent()
    return app


def end_with_serving_process() -> None:
    """Have the kernel send this process SIGTERM when the serving process ends, however it ends (Linux).

    Without it, a serving process that was killed (kill -9, the OOM killer) left the site agent and the HTTP workers
    running: the agent kept the broker session, the command writer and the database, and a restarted edge started a
    second agent beside the first. SIGTERM stops either as if the serving process had asked.
    """
    from sync.os_threads import prctl

    serving = os.environ.get(SERVING_PID)
    if not serving or not prctl(PR_SET_PDEATHSIG, signal.SIGTERM):
        return  # not started by `serve --workers`, or not Linux (the service manager stops the whole group)
    if os.getppid() != int(serving):  # it ended before the request above was made
        os.kill(os.getpid(), signal.SIGTERM)


def yield_cpu_to_agent(niceness: int = WORKER_NICENESS) -> None:
    """Lower every thread of this process (Linux sets nice per thread; threads made later inherit it)."""
    for task in os.listdir("/proc/self/task") if os.path.isdir("/proc/self/task") else ["0"]:
        try:
            current = os.getpriority(os.PRIO_PROCESS, int(task))
            os.setpriority(os.PRIO_PROCESS, int(task), min(19, current + niceness))
        except OSError:  # a thread that just ended, or a system that refuses: priorities are an optimisation
            pass


def settle_garbage_collector() -> None:
    """Leave the objects made at start-up out of every later collection.

    A full collection walks every tracked object and stops all of the process's threads while it does: with the app,
    its libraries and their modules tracked that was a 40-100 ms pause (measured under load), felt by every
    request in flight. Start-up objects live as long as the process, so freezing them changes nothing else.
    """
    gc.collect()
    gc.freeze()


def serve_workers(settings: dict, host: str, port: int, http_processes: int,
                  threads: int = THREADS_PER_WORKER) -> None:
    """Serve until SIGINT or SIGTERM from `http_processes` processes, each building worker_app(settings)."""
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces
    from granian.log import LogLevels

    os.environ[WORKER_SETTINGS] = json.dumps(settings)
    os.environ[SERVING_PID] = str(os.getpid())
    logging.getLogger("_granian").addFilter(_ThreadCountAdvice())
    Granian("edge.serving:worker_app", factory=True, address=host, port=port, interface=Interfaces.WSGI,
            workers=http_processes, blocking_threads=threads, http=HTTPModes.http1, websockets=False,
            respawn_failed_workers=True, log_level=LogLevels.warning).serve()


class _ThreadCountAdvice(logging.Filter):
    """Drop granian's advice against many threads per core: they mostly wait for the writer, and that is the point."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Python threads" not in record.getMessage()


def start_agent(agent_args: list[str]) -> subprocess.Popen:
    """Start `wes-edge agent` with the same site, database and broker settings as the server."""
    return subprocess.Popen([sys.executable, "-m", "edge", "agent", *agent_args], stdin=subprocess.DEVNULL,
                            env=dict(os.environ, PYTHONUNBUFFERED="1", **{SERVING_PID: str(os.getpid())}))


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
