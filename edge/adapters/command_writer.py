"""The command writer: one thread runs the handheld's hot commands for every HTTP worker process of a site.

With several worker processes each ran its own group commit, and the leader holding the site's writer lock shared
its interpreter with its process's other request threads: under load it waited for them about a quarter of the time
it held the lock, and the lock, held nearly all the time, was what capped confirms per second. Here the workers send
each hot command over a local socket (authenticated with a key the serving process gave both sides) and wait; one
thread, in the site agent, takes everything that has arrived, runs it as one group commit and answers each.

If the writer cannot be reached or does not answer, a worker runs the command itself (its own group commit): the
writer lock orders both, and the hot commands are idempotent (an op_id, or "your unfinished task first"), so a
command sent again after a lost answer is answered as a replay, never applied twice.
"""
import json
import logging
import os
import pickle
import secrets
import selectors
import socket
import struct
import threading
import time
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Connection, Listener
from typing import Callable

from edge.service.messagebus import GROUP_COMMITTED
from sync.os_threads import NamedThread

from .group_commit import Slot, commit_batch
from .wal_checkpointer import WalCheckpointer

log = logging.getLogger(__name__)

WRITER_ENV = "WES_EDGE_COMMAND_WRITER"  # {"address": ..., "key": hex}: set by `serve --workers` for its children
ANSWER_TIMEOUT_S = 30.0
RECONNECT_AFTER_S = 1.0
STALL_TIMEOUT_S = 5.0  # the writer's limit on a worker that sends half a message or does not read its answer
FRAME = struct.Struct("!I")  # each message: its length, then the pickle
MAX_MESSAGE_BYTES = 1 << 20  # a hot command or its answer is a few hundred bytes


def _socket_of(conn: Connection, timeout_s: float) -> socket.socket:
    """Take over an authenticated connection's socket (framed by hand: a third less CPU per call than Connection).

    The timeouts are the kernel's (SO_RCVTIMEO/SO_SNDTIMEO) on a blocking socket: one system call per read, where a
    Python socket timeout polls first. A timed-out call raises an OSError, as a broken connection does.
    """
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, fileno=os.dup(conn.fileno()))
    conn.close()
    limit = struct.pack("ll", int(timeout_s), int(timeout_s % 1 * 1_000_000))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, limit)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, limit)
    return sock


def send_message(sock: socket.socket, message) -> None:
    data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    sock.sendall(FRAME.pack(len(data)) + data)


def receive_message(sock: socket.socket):
    """Read one message; EOFError when the other side has gone. One call at a time per connection, so never two."""
    data = sock.recv(65536)
    if len(data) >= FRAME.size and FRAME.unpack_from(data)[0] > MAX_MESSAGE_BYTES:
        raise EOFError(f"a message of {FRAME.unpack_from(data)[0]} bytes: not a worker of this server")
    while len(data) < FRAME.size or len(data) < FRAME.size + FRAME.unpack_from(data)[0]:
        more = sock.recv(65536)
        if not more:
            raise EOFError("connection closed" + (" in the middle of a message" if data else ""))
        data += more
    if len(data) != FRAME.size + FRAME.unpack_from(data)[0]:
        raise EOFError("more than one message at once: not a worker of this server")
    return pickle.loads(memoryview(data)[FRAME.size:])


def new_writer_settings() -> dict:
    """Pick a private socket address (Linux abstract namespace: no file left behind) and a random key."""
    return {"address": f"\0wes-edge-writer-{secrets.token_hex(8)}", "key": secrets.token_hex(32)}


def writer_settings_from_env() -> dict | None:
    text = os.environ.get(WRITER_ENV)
    return json.loads(text) if text else None


class CommandWriter:
    """Serve hot commands from worker processes: `run_job(cmd, db)` runs one inside the shared transaction."""

    def __init__(self, settings: dict, db_path: str, run_job: Callable[[object, object], object],
                 on_commit: Callable[[], None] = lambda: None):
        self.db_path, self.run_job, self.on_commit = db_path, run_job, on_commit
        self._listener = Listener(settings["address"], "AF_UNIX", authkey=bytes.fromhex(settings["key"]))
        self._conns: list[socket.socket] = []  # every worker connection (read by the serving thread)
        self._joined: list[socket.socket] = []  # accepted, not yet watched by the serving thread
        self._guard = threading.Lock()
        self._wake_read, self._wake_write = os.pipe()
        self._stopping = threading.Event()
        self._threads = [NamedThread(target=self._accept, name="writer-accept", daemon=True),
                         NamedThread(target=self._serve, name="command-writer", daemon=True)]
        self._checkpointer = WalCheckpointer(db_path)
        self.commands = self.batches = 0  # run so far, and the seconds spent running them (figures for people)
        self.busy_s = self.cpu_s = 0.0

    def start(self) -> "CommandWriter":
        self._checkpointer.start()
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        os.write(self._wake_write, b"x")
        self._listener.close()  # ends accept()
        self._threads[1].join(timeout=10)
        self._checkpointer.stop()
        log.info("command writer ran %d commands in %d group commits, %.1f s (%.1f s of CPU)", self.commands,
                 self.batches, self.busy_s, self.cpu_s)
        with self._guard:
            for conn in self._conns:
                conn.close()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                conn = self._listener.accept()  # checks the caller's key before anything is read
            except (OSError, EOFError, AuthenticationError) as err:
                if self._stopping.is_set():
                    return
                log.warning("command writer refused a caller (%s)", err or type(err).__name__)
                continue
            sock = _socket_of(conn, STALL_TIMEOUT_S)
            with self._guard:
                self._conns.append(sock)
                self._joined.append(sock)
            os.write(self._wake_write, b"x")

    def _serve(self) -> None:
        try:
            self._serve_until_stopped()
        except Exception:  # noqa: BLE001 - whatever it was, the workers must not wait for answers that never come
            log.exception("command writer failed: the HTTP workers run their hot commands themselves from now on")
            self._stopping.set()
            self._listener.close()
            with self._guard:
                for conn in self._conns:
                    conn.close()  # a worker waiting for its answer sees the end at once and runs the command

    def _serve_until_stopped(self) -> None:
        with selectors.DefaultSelector() as selector:  # epoll: the workers' connections are registered once
            selector.register(self._wake_read, selectors.EVENT_READ)
            while not self._stopping.is_set():
                with self._guard:
                    joined, self._joined = self._joined, []
                for sock in joined:
                    selector.register(sock, selectors.EVENT_READ)
                asked: list[tuple[socket.socket, Slot]] = []
                for key, _ in selector.select(timeout=1.0):
                    if key.fileobj == self._wake_read:
                        os.read(self._wake_read, 4096)
                        continue
                    slot = self._receive(key.fileobj, selector)
                    if slot is not None:
                        asked.append((key.fileobj, slot))
                if asked:
                    committed = self._run([slot for _, slot in asked])
                    for sock, slot in asked:
                        self._answer(sock, slot, selector)
                    if committed:  # after the answers: the sync thread it wakes would compete with sending them
                        self.on_commit()

    def _receive(self, sock: socket.socket, selector: selectors.BaseSelector) -> Slot | None:
        try:
            cmd = receive_message(sock)
        except Exception as err:  # noqa: BLE001 - the worker (or its thread) went away, or sent what is not a command
            if not isinstance(err, EOFError) or str(err) != "connection closed":
                log.warning("command writer dropped a worker connection (%s)", err)
            self._drop(sock, selector)
            return None
        if type(cmd) not in GROUP_COMMITTED:
            slot = Slot(None)
            slot.error = TypeError(f"the command writer runs only the handheld's hot commands, not {type(cmd).__name__}")
            slot.done = True
            return slot
        return Slot(lambda db: self.run_job(cmd, db))

    def _run(self, slots: list[Slot]) -> bool:
        todo = [slot for slot in slots if not slot.done]
        committed = False
        if todo:
            started, cpu = time.perf_counter(), time.thread_time()
            _, committed = commit_batch(self.db_path, lambda: todo, prepare=self._checkpointer.take_over)
            self.busy_s += time.perf_counter() - started
            self.cpu_s += time.thread_time() - cpu
            self.commands, self.batches = self.commands + len(todo), self.batches + 1
        return committed

    def _answer(self, sock: socket.socket, slot: Slot, selector: selectors.BaseSelector) -> None:
        try:
            try:
                send_message(sock, ("error", slot.error) if slot.error is not None else ("ok", slot.result))
            except Exception as err:  # noqa: BLE001 - an answer that cannot travel: say what it was instead
                if isinstance(err, OSError):
                    raise
                send_message(sock, ("error", RuntimeError(f"command writer could not send its answer: {err!r}")))
        except OSError:
            self._drop(sock, selector)

    def _drop(self, sock: socket.socket, selector: selectors.BaseSelector) -> None:
        with self._guard:
            if sock in self._conns:
                self._conns.remove(sock)
        selector.unregister(sock)
        sock.close()


class WriterClient:
    """A worker's side: run(handler, cmd) through the writer, or locally through `fallback` if it is unreachable."""

    def __init__(self, settings: dict, fallback: Callable[[Callable, object], object]):
        self.address, self.key, self.fallback = settings["address"], bytes.fromhex(settings["key"]), fallback
        self._local = threading.local()  # each request thread has its own connection: one call at a time on it
        self.local_runs = 0  # commands run here because the writer was not reachable (a figure for people)

    def run(self, handler: Callable, cmd):
        line = self._line()
        if line is not None:
            try:
                send_message(line.sock, cmd)
                try:
                    status, value = receive_message(line.sock)
                except BlockingIOError:  # the receive timeout ran out
                    raise TimeoutError(f"no answer in {ANSWER_TIMEOUT_S:g} s") from None
            except (OSError, EOFError) as err:
                log.warning("command writer unreachable (%s): running the command in this worker", err)
                self._forget()
            else:
                if status == "error":
                    raise value
                return value
        self.local_runs += 1
        return self.fallback(handler, cmd)

    def _line(self) -> "_Line | None":
        local = self._local
        line = getattr(local, "line", None)
        if line is None and time.monotonic() >= getattr(local, "retry_at", 0.0):
            try:
                line = local.line = _Line(Client(self.address, "AF_UNIX", authkey=self.key))
            except (OSError, EOFError, AuthenticationError) as err:
                log.warning("command writer unreachable (%s): running hot commands in this worker",
                            err or type(err).__name__)
                local.retry_at = time.monotonic() + RECONNECT_AFTER_S
        return line

    def _forget(self) -> None:
        self._local.line = None  # closed as it goes
        self._local.retry_at = time.monotonic() + RECONNECT_AFTER_S


class _Line:
    """A request thread's connection to the writer, closed when the thread (and so its thread-local) goes."""

    def __init__(self, conn: Connection):
        self.sock = _socket_of(conn, ANSWER_TIMEOUT_S)

    def __del__(self):
        self.sock.close()
