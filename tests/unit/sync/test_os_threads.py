"""NamedThread: the kernel knows the thread by its name too (cut to 15 bytes), as top -H and /proc show it."""
import threading

from sync.os_threads import NamedThread


def os_name_seen_by(thread_class) -> str:
    seen = []

    def look():
        with open(f"/proc/self/task/{threading.get_native_id()}/comm") as comm:
            seen.append(comm.read().strip())

    thread = thread_class(target=look, name="command-writer-of-DC01")
    thread.start()
    thread.join()
    return seen[0]


def test_a_named_thread_is_known_to_the_kernel_by_its_name():
    assert os_name_seen_by(NamedThread) == "command-writer-"  # Linux keeps 15 bytes


def test_a_plain_thread_is_not():
    assert os_name_seen_by(threading.Thread) != "command-writer-"
