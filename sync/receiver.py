"""Store incoming batches exactly once, in order, and acknowledge only after the commit."""
import logging

from protocols.messages.envelope import AckV1Schema, BatchV1Schema, MessageError, decode, encode

from .ports import ApplyFn, InboxStore, Transport

log = logging.getLogger(__name__)


class BatchReceiver:
    """Receive batches for many streams (one per site); dedupe on (stream, epoch, seq).

    An event below the high-water mark is a harmless duplicate; one past a gap is not applied
    and the sender is told where to resend from, so events are always applied in seq order.
    """

    def __init__(self, store: InboxStore, transport: Transport, apply: ApplyFn, ack_topic_for):
        self.store, self.transport, self.apply, self.ack_topic_for = store, transport, apply, ack_topic_for
        self.applied = 0

    def on_batch(self, topic: str, site: str, payload: bytes) -> dict | None:
        """Apply one batch message; dead-letter it with the reason if it cannot be processed."""
        try:
            batch = decode(BatchV1Schema(), payload)
        except MessageError as err:
            self.store.dead_letter(topic, payload, str(err))
            log.warning("dead-lettered a message on %s: %s", topic, err)
            return None
        if batch["site"] != site:
            reason = f"batch says site {batch['site']!r} but came on {site!r}'s topic"
            self.store.dead_letter(topic, payload, reason)
            log.warning("dead-lettered a message on %s: %s", topic, reason)
            return None
        before = self.store.hwm(site, batch["epoch"])
        hwm, gap = self.store.apply_batch(site, batch["epoch"], batch["events"], self.apply)
        self.applied += hwm - before
        return self.send_ack(site, batch["epoch"], hwm, resend_from=hwm + 1 if gap else None)

    def send_ack(self, site: str, epoch: int, hwm: int | None = None, resend_from: int | None = None) -> dict:
        """Tell the sender the highest contiguous seq we hold (and where to resend from)."""
        if hwm is None:
            hwm = self.store.hwm(site, epoch)
        ack = {"v": 1, "site": site, "epoch": epoch, "acked_through_seq": hwm, "resend_from": resend_from}
        self.transport.publish(self.ack_topic_for(site), encode(AckV1Schema(), ack), qos=1)
        return ack
