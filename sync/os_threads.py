"""Threads whose names the operating system knows too, so `top -H`, `ps -L` and /proc tell them apart.

Python names its threads only for itself: to the kernel every thread of a server is "python". A site agent's command
writer at 90% of a core then looks like any other thread. A NamedThread gives the kernel its name (the first 15 bytes,
Linux's limit) as it starts; elsewhere it is a plain thread.
"""
import ctypes
import threading

PR_SET_NAME = 15  # linux/prctl.h

try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux
    _prctl = None


def name_os_thread(name: str) -> None:
    """Give the calling thread's OS thread this name (cut to 15 bytes); do nothing where that is not possible."""
    if _prctl is not None:
        _prctl(PR_SET_NAME, ctypes.c_char_p(name.encode()[:15]), 0, 0, 0)


class NamedThread(threading.Thread):
    def run(self) -> None:
        name_os_thread(self.name)
        super().run()
