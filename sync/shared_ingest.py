"""One of several central ingest workers sharing the sites' event topics through an MQTT shared subscription.

Every worker ingests events (the broker spreads batches among them; the database keeps order and exactly-once, see
shared_receiver.py). The work that must have one owner runs only in the worker holding the leader lease: command
streams to the sites, site presence (`up/state`), command acks (`up/cmdack`), periodic pumps such as allocation,
and the centre's retained online state. When the leader dies, another worker claims the lease once it expires.
"""
import json
import logging
import time

from . import topics
from .health import dead_letter_counts, outbox_health
from .hub_endpoint import ALL_SITES, HubSyncEndpoint
from .leader_lease import LeaderLease, ingest_workers
from .ports import ApplyFn
from .shared_receiver import SharedBatchReceiver
from .sqlite_store import read_connection, utc_now

log = logging.getLogger(__name__)

SHARE_GROUP = "ingest"
SHARED_EVENTS = f"$share/{SHARE_GROUP}/{ALL_SITES}/up/events"
LEADER_TOPICS = (f"{ALL_SITES}/up/state", f"{ALL_SITES}/up/cmdack")
GROUP_MAX_BATCHES = 64


class SharedIngestEndpoint(HubSyncEndpoint):
    """A hub endpoint that ingests its share of every site's events and leads only while it holds the lease."""

    def __init__(self, db_path: str, mqtt_url: str, apply_event: ApplyFn, on_site_state=lambda site, state: None, *,
                 worker_id: str, lease_ttl: float = 5.0, reorder_timeout: float = 5.0, **kwargs):
        self.worker = f"ingest-{worker_id}"
        self.reorder_timeout = reorder_timeout
        self.lease = LeaderLease(db_path, self.worker, ttl=lease_ttl)
        self.leading = False
        self.started_at = utc_now()
        self._next_renewal = 0.0
        self._renewed_at = 0.0
        self._arrived: list[tuple[str, str, bytes]] = []
        self.caught_up_at = time.time()
        super().__init__(db_path, mqtt_url, apply_event, on_site_state, client_id=f"wes-central-{self.worker}",
                         **kwargs)
        self.link.route(topics.CENTRAL_STATE, self._on_central_state)
        self.link.add_pump(self._keep_lease)  # the link's own add_pump: these run in every worker
        self.link.add_pump(self._settle_arrived)

    def _subscriptions(self) -> list[str]:
        return [SHARED_EVENTS, topics.CENTRAL_STATE]

    def _event_receiver(self, apply_event: ApplyFn) -> SharedBatchReceiver:
        return SharedBatchReceiver(self.inbox, self.transport, apply_event, topics.down_ack, worker=self.worker,
                                   reorder_timeout=self.reorder_timeout, all_caught_up_at=self.lease.all_caught_up_at)

    def add_pump(self, pump) -> None:
        """Run periodic work (e.g. allocation) on the sync thread, in the leader only."""
        super().add_pump(lambda: self.leading and pump())

    def stop(self) -> None:
        """Leave quietly while other workers still run; the last one says the centre is offline."""
        self.link.stop()  # first, so no beat re-adds this worker after it left
        others = [w for w in ingest_workers(self.db_path, stale_after=self.lease.ttl) if w["worker"] != self.worker]
        if self.leading:
            self.lease.release()
        self.lease.leave()
        self.leading = False
        self.transport.stop(final=None if others else (topics.CENTRAL_STATE, self._state(False)))

    def health(self) -> dict:
        return {**super().health(), "worker": self.worker, "leader": self.leading,
                "parked_batches": self.events.parked_count()}

    def _on_events(self, topic: str, payload: bytes) -> None:
        self._arrived.append((topic, self._site_of(topic), payload))

    def _settle_arrived(self) -> None:
        """Settle what arrived in one commit once nothing more waits in the queue (or the group is full).

        Under load batches pile up while a commit runs, so groups grow by themselves; when idle, a batch
        goes alone at once, with no added delay.
        """
        idle_at = time.time() if self.link.idle() else None
        if self._arrived and (idle_at or len(self._arrived) >= GROUP_MAX_BATCHES):
            arrived, self._arrived = self._arrived, []
            self.events.on_batches(arrived)
        if idle_at:
            self.caught_up_at = idle_at  # everything received before this moment is settled now

    def _keep_lease(self) -> None:
        """Renew (or claim) the lease about four times per lease period; follow what the database says."""
        now = time.monotonic()
        if now < self._next_renewal:
            return
        self._next_renewal = now + self.lease.ttl / 4
        was = self.leading
        try:
            leading = self.lease.renew()
            self._renewed_at = now
        except Exception:
            # could not reach the database: keep leading only while the lease we last saw is surely ours
            leading = was and now - self._renewed_at < self.lease.ttl / 2
            log.exception("%s: could not renew the leader lease", self.worker)
        self.leading = leading
        if leading and not was:
            self._promote()
        elif was and not leading:
            self._demote()
        self.lease.beat(self.transport.connected, self.events.applied, self.events.parked, self.started_at,
                        self.caught_up_at)

    def _promote(self) -> None:
        log.info("%s now leads (term %s): command streams, site presence and command acks", self.worker,
                 self.lease.term)
        self.senders.clear()  # start from the database's ack marks, not from an earlier term's memory
        for topic in LEADER_TOPICS:
            self.transport.subscribe(topic)  # retained site states arrive again: each one starts its sender
        if self.transport.connected:
            self.transport.publish(topics.CENTRAL_STATE, self._state(True), qos=1, retain=True)

    def _demote(self) -> None:
        log.warning("%s lost the leader lease: another worker leads now", self.worker)
        for topic in LEADER_TOPICS:
            self.transport.unsubscribe(topic)
        self.senders.clear()

    def _on_connected(self) -> None:
        if self.leading:
            super()._on_connected()

    def _pump_senders(self) -> None:
        if self.leading:
            super()._pump_senders()

    def _on_site_state(self, topic: str, payload: bytes) -> None:
        if self.leading:
            super()._on_site_state(topic, payload)

    def _on_cmdack(self, topic: str, payload: bytes) -> None:
        if self.leading:
            super()._on_cmdack(topic, payload)

    def _on_central_state(self, topic: str, payload: bytes) -> None:
        """Say "online" again when another worker's will said "offline": the centre is still here."""
        if not (self.leading and self.transport.connected):
            return
        try:
            online = json.loads(payload).get("online")
        except (ValueError, AttributeError):
            online = None
        if online is not True:
            self.transport.publish(topics.CENTRAL_STATE, self._state(True), qos=1, retain=True)


class IngestPoolHealth:
    """What the API process gives its app as SYNC when separate ingest workers own the MQTT link."""

    def __init__(self, db_path: str):
        self.db_path = db_path

    def nudge(self) -> None:
        """Do nothing: the leading worker reads the command outbox on every tick."""

    def health(self) -> dict:
        workers = ingest_workers(self.db_path)
        with read_connection(self.db_path) as conn:
            dead = dead_letter_counts(conn)
            cursors = [dict(r) for r in conn.execute("SELECT * FROM sync_inbox_cursor ORDER BY stream, epoch")]
            streams = [r[0] for r in conn.execute("SELECT stream FROM sync_outbox_cursor ORDER BY stream")]
            commands = {site: outbox_health(conn, site) for site in streams}
            (parked,) = conn.execute("SELECT COUNT(*) FROM sync_parked_batches").fetchone()
        return {"connected": any(w["connected"] for w in workers), **dead, "event_streams": cursors,
                "command_streams": commands, "ingest_workers": workers, "parked_batches": parked}

