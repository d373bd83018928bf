"""Store incoming batches exactly once, in order, and acknowledge only after the commit."""
import logging
import time
from dataclasses import dataclass

from protocols.messages.envelope import AckV1Schema, MessageError, encode

from .batch_codec import decode_batch
from .ports import ApplyFn, InboxStore, Transport

log = logging.getLogger(__name__)


@dataclass
class HeldBatch:
    events: list[dict]
    first_seq: int
    last_seq: int
    size: int
    since: float


class BatchReceiver:
    """Receive batches for many streams (one per site); dedupe on (stream, epoch, seq).

    An event below the high-water mark is a harmless duplicate. A batch past a gap is held in
    memory (bounded by count and bytes across all streams) for up to `reorder_timeout` seconds, since the batch
    before it is usually just late; if the gap fills, both are applied in order, else the sender
    is told where to resend from. So events are always applied in seq order.
    """

    def __init__(self, store: InboxStore, transport: Transport, apply: ApplyFn, ack_topic_for, *,
                 reorder_timeout: float = 5.0, reorder_max_batches: int = 64,
                 reorder_max_bytes: int = 16_000_000, clock=time.monotonic):
        self.store, self.transport, self.apply, self.ack_topic_for = store, transport, apply, ack_topic_for
        self.reorder_timeout, self.clock = reorder_timeout, clock
        self.reorder_max_batches, self.reorder_max_bytes = reorder_max_batches, reorder_max_bytes
        self.applied = 0
        self.resend_requests = 0
        self.held: dict[tuple[str, int], dict[int, HeldBatch]] = {}
        self._hwm: dict[tuple[str, int], int] = {}

    def on_batch(self, topic: str, site: str, payload: bytes) -> dict | None:
        """Apply one batch message; dead-letter it with the reason if it cannot be processed."""
        batch = self.decode(topic, site, payload)
        if batch is None:
            return None
        key = (site, batch["epoch"])
        if key not in self._hwm:
            self._hwm[key] = self.store.hwm(site, batch["epoch"])
        if batch["first_seq"] > self._hwm[key] + 1 and self._hold(key, batch, len(payload)):
            return None
        return self._receive(key, batch["events"])

    def decode(self, topic: str, site: str, payload: bytes) -> dict | None:
        """Return the batch if it is valid and came on its own site's topic, else dead-letter it and return None."""
        try:
            batch = decode_batch(payload)
        except MessageError as err:
            self.store.dead_letter(topic, payload, str(err))
            log.warning("dead-lettered a message on %s: %s", topic, err)
            return None
        if batch["site"] != site:
            reason = f"batch says site {batch['site']!r} but came on {site!r}'s topic"
            self.store.dead_letter(topic, payload, reason)
            log.warning("dead-lettered a message on %s: %s", topic, reason)
            return None
        return batch

    def expire_held(self) -> int:
        """Give up on gaps older than the reorder timeout: drop what waits and ask for a resend."""
        now, asked = self.clock(), 0
        for key, waiting in list(self.held.items()):
            if waiting and now - min(h.since for h in waiting.values()) >= self.reorder_timeout:
                del self.held[key]
                self._ack(key, self._hwm[key], resend_from=self._hwm[key] + 1)
                asked += 1
        return asked

    def send_ack(self, site: str, epoch: int, hwm: int | None = None, resend_from: int | None = None,
                 diverged_from: int | None = None) -> dict:
        """Tell the sender the highest contiguous seq we hold (and where to resend from).

        Without `hwm` this answers the sender's presence: our high-water mark goes out as
        `receiver_hwm`, a hint that acknowledges nothing, because no event id was compared.
        """
        ack = {"v": 1, "site": site, "epoch": epoch, "acked_through_seq": hwm or 0, "resend_from": resend_from}
        if hwm is None:
            ack["receiver_hwm"] = self.store.hwm(site, epoch)
        if diverged_from is not None:
            ack["diverged_from"] = diverged_from
        if resend_from is not None:
            self.resend_requests += 1
        self.transport.publish(self.ack_topic_for(site), encode(AckV1Schema(), ack), qos=1)
        return ack

    def _hold(self, key: tuple[str, int], batch: dict, size: int) -> bool:
        waiting = self.held.setdefault(key, {})
        if batch["first_seq"] in waiting:
            return True  # a duplicate of a batch already waiting
        everything = [h for held in self.held.values() for h in held.values()]  # bounded across all sites
        if (len(everything) >= self.reorder_max_batches
                or sum(h.size for h in everything) + size > self.reorder_max_bytes):
            return False
        waiting[batch["first_seq"]] = HeldBatch(batch["events"], batch["first_seq"], batch["last_seq"], size,
                                                self.clock())
        return True

    def _receive(self, key: tuple[str, int], events: list[dict]) -> dict:
        site, epoch = key
        before = self._hwm[key]
        result = self.store.receive(site, epoch, events, self.apply)
        self._hwm[key] = result.hwm
        if result.diverged_from is not None:
            log.warning("%s epoch %s: seq %s differs from our ledger: the site's database was restored",
                        site, epoch, result.diverged_from)
            return self._ack(key, result.verified_through, diverged_from=result.diverged_from)
        verified = result.verified_through
        waiting = self.held.get(key, {})
        while waiting:
            ready = [seq for seq in waiting if seq <= self._hwm[key] + 1]
            if not ready:
                break
            held = waiting.pop(min(ready))
            if held.last_seq > self._hwm[key]:
                more = self.store.receive(site, epoch, held.events, self.apply)
                if more.diverged_from is not None:
                    waiting.clear()  # the sender resends after it re-numbers; nothing held is still valid
                    break
                self._hwm[key] = more.hwm
                verified = max(verified, more.verified_through)
        self.applied += self._hwm[key] - before
        return self._ack(key, verified, resend_from=self._hwm[key] + 1 if result.gap else None)

    def _ack(self, key: tuple[str, int], hwm: int, resend_from: int | None = None,
             diverged_from: int | None = None) -> dict:
        return self.send_ack(key[0], key[1], hwm, resend_from=resend_from, diverged_from=diverged_from)
