"""Stream outbox rows as batches with a bounded window, resending until the receiver acks."""
import logging
import time
from dataclasses import dataclass

from .batch_codec import encode_batch
from .ports import OutboxStore, Transport

log = logging.getLogger(__name__)


@dataclass
class InFlight:
    first_seq: int
    last_seq: int
    sent_at: float


class OutboxSender:
    """Own the send side of one stream: only the receiver's ack (after its commit) frees rows.

    PUBACK from the broker means nothing here: Mosquitto's PUBACK is not durable and paho's
    queue lives in memory, so the outbox is the truth and unacked batches are resent.
    """

    def __init__(self, store: OutboxStore, transport: Transport, topic: str, site: str, *,
                 batch_max: int = 500, batch_bytes: int = 256_000, window: int = 8,
                 resend_after: float = 30.0, max_resend_after: float = 300.0, clock=time.monotonic):
        self.store, self.transport, self.topic, self.site = store, transport, topic, site
        self.batch_max, self.batch_bytes, self.window = batch_max, batch_bytes, window
        self.base_resend_after = self.resend_after = resend_after
        self.max_resend_after = max_resend_after
        self.clock = clock
        self.peer_online = False
        self.inflight: list[InFlight] = []
        self.last_sent = store.acked_through()
        self.last_ack_at: float | None = None
        self.restore_suspected = False

    def rewind(self, seq: int | None = None) -> None:
        """Forget what is in flight and resend everything after `seq` (default: last ack)."""
        self.inflight.clear()
        self.last_sent = self.store.acked_through() if seq is None else seq

    def set_peer_online(self, online: bool) -> None:
        """Start streaming when the receiver is online; rewind so nothing waits on a lost batch.

        Rewinding on every "online" matters after a broker restart: batches sent while the
        receiver was not subscribed are gone, and its fresh ack alone would not resend them.
        """
        if online:
            self.rewind()
        self.peer_online = online

    def on_ack(self, ack: dict) -> None:
        """Apply a receiver ack: free rows up to acked_through_seq, rewind on resend_from.

        An ack beyond our last seq, or one naming a seq where the receiver holds another event,
        means our database was restored from an older copy: see `_on_restored`.
        """
        if ack["epoch"] != self.store.epoch():
            log.warning("%s: ignoring ack for epoch %s (ours is %s)", self.topic, ack["epoch"], self.store.epoch())
            return
        acked = ack["acked_through_seq"]
        if ack.get("diverged_from") is not None:
            self._on_diverged(ack["diverged_from"], acked)
            return
        receiver_hwm = max(acked, ack.get("receiver_hwm") or 0)
        if receiver_hwm > self.store.last_seq():
            self._on_restored(receiver_hwm)
            return
        if acked > self.store.acked_through():
            self.store.mark_acked(acked)
            self.resend_after = self.base_resend_after
        self.last_ack_at = self.clock()
        self.inflight = [b for b in self.inflight if b.last_seq > acked]
        if ack.get("resend_from") is not None:
            self.rewind(max(ack["resend_from"] - 1, acked))
        elif self.last_sent < acked:
            self.last_sent = acked
        if self.restore_suspected and self.store.acked_through() == self.store.last_seq():
            self._start_new_epoch(self.store.last_seq() + 1)

    def _on_restored(self, receiver_hwm: int) -> None:
        """Start a new epoch once every row we hold is confirmed to match the receiver's ledger.

        The receiver holds seqs we do not have, so our later rows would reuse seqs it already
        stored. Rows up to our own acked mark match; the rest are resent so the receiver can
        compare their event ids (it answers `diverged_from` at the first one that differs).
        """
        log.warning("%s: receiver holds seq %s of epoch %s but our last is %s: database restored from a copy",
                    self.topic, receiver_hwm, self.store.epoch(), self.store.last_seq())
        self.restore_suspected = True
        if self.store.acked_through() == self.store.last_seq():
            self._start_new_epoch(self.store.last_seq() + 1)
        else:
            self.rewind()

    def _on_diverged(self, seq: int, verified_through: int) -> None:
        """Move rows from `seq` on into a new epoch if everything below it is known to match."""
        own = self.store.acked_through()
        if seq <= own:
            log.error("%s: receiver says seq %s differs but we hold an ack through %s; ignoring",
                      self.topic, seq, own)
        elif verified_through == seq - 1 or own == seq - 1:
            self._start_new_epoch(seq)
        else:
            self.rewind()  # resend from our ack mark so the receiver can find the first differing seq

    def _start_new_epoch(self, from_seq: int) -> None:
        old = self.store.epoch()
        epoch = self.store.start_new_epoch(from_seq)
        log.warning("%s: epoch %s ends at seq %s; rows from there on are resent as epoch %s",
                    self.topic, old, from_seq - 1, epoch)
        self.restore_suspected = False
        self.resend_after = self.base_resend_after
        self.rewind()

    def pump(self) -> int:
        """Publish pending rows while connected and the window allows; return events sent."""
        if not (self.transport.connected and self.peer_online):
            return 0
        now = self.clock()
        if self.inflight and now - self.inflight[0].sent_at > self.resend_after:
            log.info("%s: no ack for seq %s..%s in %.0fs, resending", self.topic,
                     self.inflight[0].first_seq, self.last_sent, self.resend_after)
            self.rewind()
            self.resend_after = min(self.resend_after * 2, self.max_resend_after)
        sent = 0
        while len(self.inflight) < self.window:
            rows = self.store.read_rows_after(self.last_sent, self.batch_max)
            if not rows:
                break
            payload = encode_batch(self.site, self.store.epoch(), rows)
            while len(payload) > self.batch_bytes and len(rows) > 1:
                rows = rows[: max(1, len(rows) // 2)]
                payload = encode_batch(self.site, self.store.epoch(), rows)
            self.transport.publish(self.topic, payload, qos=1)
            self.inflight.append(InFlight(rows[0][0], rows[-1][0], now))
            self.last_sent = rows[-1][0]
            sent += len(rows)
        return sent
