"""Threads whose names the operating system knows too, so `top -H`, `ps -L` and /proc tell them apart.

Python names its threads only for itself: to the kernel every thread of a server is "python". A site agent's command
writer at 90% of a core then looks like any other thread. A NamedThread gives the kernel its name (the first 15 bytes,
Linux's limit) as it starts; elsewhere it is a plain thread. `prctl` is also how the site agent and the HTTP workers
ask to end with their serving process (edge/serving.py).
"""
import ctypes
import threading

PR_SET_NAME = 15  # linux/prctl.h

try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _prctl = None


def prctl(option: int, value) -> bool:
    """Call Linux's prctl(option, value) for this thread or process; False where there is no such call."""
    if _prctl is None:
        return False
    _prctl(option, value, 0, 0, 0)
    return True


def name_os_thread(name: str) -> None:
    """Give the calling thread's OS thread this name (cut to 15 bytes); do nothing where that is not possible."""
    prctl(PR_SET_NAME, ctypes.c_char_p(name.encode()[:15]))


class NamedThread(threading.Thread):
    def run(self) -> None:
        name_os_thread(self.name)
        super().run()
