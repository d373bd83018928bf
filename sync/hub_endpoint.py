"""The centre's end of the sync: events from every site, commands to each, site presence."""
import json
import logging
import time
from typing import Callable

from protocols.messages.envelope import AckV1Schema, MessageError, StateV1Schema, decode

from . import topics
from .health import dead_letter_counts, outbox_health
from .link import SyncLink
from .mqtt_paho import PahoTransport
from .ports import ApplyFn
from .receiver import BatchReceiver
from .sender import OutboxSender
from .sqlite_store import SqliteInboxStore, SqliteOutboxStore, read_connection, utc_now

log = logging.getLogger(__name__)

ALL_SITES = f"{topics.PREFIX}/+"
SENDER_PUMP_INTERVAL_S = 0.02  # the command senders read every site's outbox: not after every incoming message


class HubSyncEndpoint:
    """Ingest every site's events exactly once and stream each site's command outbox to it.

    Command streams are named by site id in the centre's outbox (one gap-free cmd_seq per site).
    """

    def __init__(self, db_path: str, mqtt_url: str, apply_event: ApplyFn,
                 on_site_state: Callable[[str, dict], None] = lambda site, state: None, *,
                 resend_after: float = 30.0, username: str | None = None, password: str | None = None,
                 ca_file: str | None = None, client_id: str = "wes-central"):
        self.db_path = db_path
        self.on_site_state = on_site_state
        self.link = SyncLink("sync-hub")
        self.inbox = SqliteInboxStore(db_path)
        self.resend_after = resend_after
        self.transport = PahoTransport(
            client_id, mqtt_url, subscriptions=self._subscriptions(),
            on_message=self.link.deliver, on_connected=lambda: self.link.call(self._on_connected),
            will=(topics.CENTRAL_STATE, self._state(False)), username=username, password=password,
            ca_file=ca_file)
        self.events = self._event_receiver(apply_event)
        self.senders: dict[str, OutboxSender] = {}
        self._senders_pumped_at = 0.0
        self.link.route(f"{ALL_SITES}/up/events", self._on_events)
        self.link.route(f"{ALL_SITES}/up/state", self._on_site_state)
        self.link.route(f"{ALL_SITES}/up/cmdack", self._on_cmdack)
        self.link.add_pump(self._pump_senders)
        self.link.add_pump(self.events.expire_held)

    def _subscriptions(self) -> list[str]:
        return [f"{ALL_SITES}/up/events", f"{ALL_SITES}/up/state", f"{ALL_SITES}/up/cmdack"]

    def _event_receiver(self, apply_event: ApplyFn) -> BatchReceiver:
        return BatchReceiver(self.inbox, self.transport, apply_event, topics.down_ack)

    def start(self) -> None:
        self.link.start()
        self.transport.start()

    def stop(self) -> None:
        self.transport.stop(final=(topics.CENTRAL_STATE, self._state(False)))
        self.link.stop()

    def nudge(self) -> None:
        self.link.nudge()

    def add_pump(self, pump: Callable[[], object]) -> None:
        """Run periodic work (e.g. allocation) on the sync thread after each step."""
        self.link.add_pump(pump)

    def health(self) -> dict:
        """Say how sync stands: the link, dead letters, each site's event stream and command stream."""
        with read_connection(self.db_path) as conn:
            dead = dead_letter_counts(conn)
            cursors = [dict(r) for r in conn.execute("SELECT * FROM sync_inbox_cursor ORDER BY stream, epoch")]
            commands = {site: {"peer_online": s.peer_online, **outbox_health(conn, site)}
                        for site, s in self.senders.items()}
        return {"connected": self.transport.connected, **dead, "event_streams": cursors,
                "command_streams": commands}

    def peer_online(self, site: str) -> bool | None:
        """Say whether a site's retained state says it is online (None until it has said anything)."""
        sender = self.senders.get(site)
        return sender.peer_online if sender else None

    @staticmethod
    def _state(online: bool) -> bytes:
        return json.dumps({"v": 1, "online": online, "ts": utc_now()}).encode()

    def _sender(self, site: str) -> OutboxSender:
        if site not in self.senders:
            self.senders[site] = OutboxSender(SqliteOutboxStore(self.db_path, site), self.transport,
                                              topics.down_cmd(site), site, resend_after=self.resend_after)
        return self.senders[site]

    def _pump_senders(self) -> None:
        now = time.monotonic()
        if now - self._senders_pumped_at < SENDER_PUMP_INTERVAL_S:
            return
        self._senders_pumped_at = now
        for sender in self.senders.values():
            sender.pump()

    def _on_connected(self) -> None:
        for sender in self.senders.values():
            sender.rewind()
        self.transport.publish(topics.CENTRAL_STATE, self._state(True), qos=1, retain=True)

    def _site_of(self, topic: str) -> str:
        parsed = topics.parse(topic)
        return parsed[0] if parsed else ""

    def _on_events(self, topic: str, payload: bytes) -> None:
        self.events.on_batch(topic, self._site_of(topic), payload)

    def _on_site_state(self, topic: str, payload: bytes) -> None:
        site = self._site_of(topic)
        try:
            state = decode(StateV1Schema(), payload)
        except MessageError as err:
            self.inbox.dead_letter(topic, payload, str(err))
            return
        self._sender(site).set_peer_online(state["online"])
        if state["online"] and state.get("epoch"):
            self.events.send_ack(site, state["epoch"])  # tell the site where we stand
        self.on_site_state(site, state)

    def _on_cmdack(self, topic: str, payload: bytes) -> None:
        site = self._site_of(topic)
        try:
            ack = decode(AckV1Schema(), payload)
        except MessageError as err:
            self.inbox.dead_letter(topic, payload, str(err))
            return
        if ack["site"] != site:
            self.inbox.dead_letter(topic, payload, f"cmdack for site {ack['site']!r} on {site!r}'s topic")
            return
        self._sender(site).on_ack(ack)
