"""SyncLink's pump rounds: a burst of nudges makes one round per pump gap, and no nudge waits longer than the gap."""
import threading
import time

from sync.link import SyncLink


def run_link(pump_gap: float, nudges: int, tick: float = 10.0) -> list[float]:
    """Nudge a link `nudges` times at once, then stop it; return when its pumps ran, from the first nudge on."""
    link, rounds, first = SyncLink("test-link", tick=tick, pump_gap=pump_gap), [], threading.Event()
    link.add_pump(lambda: (rounds.append(time.monotonic()), first.set()))
    link.start()
    try:
        assert first.wait(5)  # the round every link makes as it starts
        time.sleep(0.05)
        started = time.monotonic()
        for _ in range(nudges):
            link.nudge()
        time.sleep(pump_gap + 0.3)
    finally:
        link.stop()
    return [at - started for at in rounds if at >= started]


def test_a_burst_of_nudges_makes_one_round_per_gap_and_the_last_nudge_is_served():
    rounds = run_link(pump_gap=0.2, nudges=200)
    assert 2 <= len(rounds) <= 3  # not 200: the nudges within one gap share a round (the last is link.stop's)
    assert rounds[0] < 0.2 + 0.15  # the nudges are served within the gap, not at the next tick (10 s)


def test_without_a_gap_a_nudge_is_served_at_once_and_one_made_during_a_round_gets_another():
    link, rounds, done = SyncLink("test-link", tick=10.0), [], threading.Event()

    def pump():
        rounds.append(time.monotonic())
        if len(rounds) == 2:
            link.nudge()  # a commit while the round reads the outbox: its rows need one more round
        if len(rounds) == 3:
            done.set()

    link.add_pump(pump)
    link.start()
    try:
        time.sleep(0.05)  # after the round every link makes as it starts
        nudged = time.monotonic()
        for _ in range(50):
            link.nudge()
        assert done.wait(2)
    finally:
        link.stop()
    assert rounds[1] - nudged < 0.1 and rounds[2] - nudged < 0.2
    assert len(rounds) == 4  # start, the 50 nudges together, the nudge made during it, link.stop's
