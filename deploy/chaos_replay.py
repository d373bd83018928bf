"""Duplicate and reorder batches on the wire: an extra MQTT client that replays what it overheard.

It listens to every site's `up/events` and `down/cmd`, keeps the last batches of each topic, and on
request publishes a sample of them again, shuffled, some split into smaller batches that are still
valid (contiguous seqs). Each replayed piece is classed against the receiver's high-water mark at
the moment it is sent: `stale` (all at or below it: a duplicate), `ahead` (past a gap: a reordering
the receiver must not apply yet) or `overlap` (straddles it).
"""
import json
import logging
import random
import threading
import time
from collections import deque
from typing import Callable

from sync import topics
from sync.mqtt_paho import PahoTransport

log = logging.getLogger("wes-chaos")
KEEP_PER_TOPIC = 40
REPLAYED_TOPICS = (f"{topics.PREFIX}/+/up/events", f"{topics.PREFIX}/+/down/cmd")


class BatchReplayer:
    """Overhear batches and publish them again later, out of order."""

    def __init__(self, broker_url: str, rng: random.Random):
        self.rng = rng
        self.captured: dict[str, deque] = {}
        self.stats = {"batches": 0, "stale": 0, "ahead": 0, "overlap": 0}
        self._lock = threading.Lock()
        self.transport = PahoTransport(f"wes-chaos-replayer-{rng.randrange(10**6)}", broker_url,
                                       subscriptions=list(REPLAYED_TOPICS), on_message=self._capture)

    def start(self) -> "BatchReplayer":
        self.transport.start()
        return self

    def stop(self) -> None:
        self.transport.stop()

    def topics_for(self, site: str) -> list[str]:
        with self._lock:
            return [topic for topic in self.captured if topics.parse(topic)[0] == site and self.captured[topic]]

    def replay(self, topic: str, hwm_of: Callable[[int], int], most: int = 6, since: float | None = None) -> int:
        """Publish up to `most` overheard batches of a topic again, shuffled and partly split.

        `hwm_of(epoch)` reads the receiver's high-water mark, to class each piece. With `since` (a
        time.monotonic() mark) only batches overheard after it are replayed, the newest first: after
        the receiver lost them in a partition, they are ahead of it.
        """
        with self._lock:
            pool = [batch for heard_at, batch in self.captured.get(topic, ()) if since is None or heard_at >= since]
        if not pool:
            return 0
        batches = pool[-most:] if since is not None else self.rng.sample(pool, min(most, len(pool)))
        pieces = [piece for batch in batches for piece in self._split(batch)]
        self.rng.shuffle(pieces)
        for piece in pieces:
            hwm = hwm_of(piece["epoch"])
            log.debug("replaying %s seqs %s..%s (receiver at %s)", topic, piece["first_seq"], piece["last_seq"], hwm)
            self._classify(piece, hwm)
            self.transport.publish(topic, json.dumps(piece, separators=(",", ":")).encode(), qos=1)
        self.stats["batches"] += len(pieces)
        return len(pieces)

    def _capture(self, topic: str, payload: bytes) -> None:
        try:
            batch = json.loads(payload)
            batch["events"][0]  # only well-formed batches are worth replaying
        except (ValueError, KeyError, IndexError, TypeError):
            return
        with self._lock:
            self.captured.setdefault(topic, deque(maxlen=KEEP_PER_TOPIC)).append((time.monotonic(), batch))

    def _split(self, batch: dict) -> list[dict]:
        events = batch["events"]
        if len(events) < 2 or self.rng.random() < 0.5:
            return [batch]
        cut = self.rng.randrange(1, len(events))
        return [dict(batch, events=part, first_seq=part[0]["seq"], last_seq=part[-1]["seq"])
                for part in (events[:cut], events[cut:])]

    def _classify(self, piece: dict, hwm: int) -> None:
        if piece["last_seq"] <= hwm:
            self.stats["stale"] += 1
        elif piece["first_seq"] > hwm + 1:
            self.stats["ahead"] += 1
        else:
            self.stats["overlap"] += 1
