"""Scanner fixtures: a pty pair reachable through a stable symlink, like /dev/serial/by-id/..."""
import os
import threading

import pytest


class PtyLink:
    """A pty whose device path is a symlink, so a test can unplug it and plug a new one in at the same name."""

    def __init__(self, directory):
        self.path = str(directory / "scanner")
        self.controller = self.device = None
        self.plug()

    def plug(self) -> None:
        self.controller, self.device = os.openpty()
        tmp = self.path + ".new"
        os.symlink(os.ttyname(self.device), tmp)
        os.replace(tmp, self.path)

    def unplug(self) -> None:
        for fd in (self.controller, self.device):
            os.close(fd)
        os.remove(self.path)
        self.controller = self.device = None

    def close(self) -> None:
        if self.controller is not None:
            self.unplug()


class Reads:
    """Collect ScanReads from the driver thread; wait for a count with a timeout."""

    def __init__(self):
        self.items, self._changed = [], threading.Condition()

    def __call__(self, read) -> None:
        with self._changed:
            self.items.append(read)
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = 5.0) -> list:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.items) >= count, timeout), self.items
            return list(self.items)


@pytest.fixture
def pty_link(tmp_path):
    link = PtyLink(tmp_path)
    yield link
    link.close()


@pytest.fixture
def reads():
    return Reads()
