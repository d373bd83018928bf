"""The edge's end of the sync: events up, commands down, presence both ways."""
import json
import logging

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

UP_STREAM = "up"
# The least time between two rounds of sending (SyncLink.pump_gap): at a busy shift events go up in batches gathered
# over this long, not one small batch per group commit. It is the most a nudge waits; the centre sees picks this late.
PUMP_GAP_S = 0.05


class SiteSyncEndpoint:
    """Stream the site's outbox to the centre and apply the centre's commands exactly once."""

    def __init__(self, db_path: str, site: str, mqtt_url: str, apply_command: ApplyFn, *,
                 resend_after: float = 30.0, username: str | None = None, password: str | None = None,
                 ca_file: str | None = None):
        self.db_path, self.site = db_path, site
        self.central_online = False
        self.link = SyncLink(f"sync-{site}", pump_gap=PUMP_GAP_S)
        self.outbox = SqliteOutboxStore(db_path, UP_STREAM)
        self.inbox = SqliteInboxStore(db_path)
        self.transport = PahoTransport(
            f"wes-edge-{site}", mqtt_url,
            subscriptions=[topics.down_ack(site), topics.down_cmd(site), topics.CENTRAL_STATE],
            on_message=self.link.deliver, on_connected=lambda: self.link.call(self._on_connected),
            will=(topics.up_state(site), self._state(online=False)), username=username, password=password,
            ca_file=ca_file)
        self.sender = OutboxSender(self.outbox, self.transport, topics.up_events(site), site,
                                   resend_after=resend_after)
        self.commands = BatchReceiver(self.inbox, self.transport, apply_command, lambda s: topics.up_cmdack(s))
        self.link.route(topics.down_ack(site), self._on_ack)
        self.link.route(topics.down_cmd(site), lambda t, p: self.commands.on_batch(t, site, p))
        self.link.route(topics.CENTRAL_STATE, self._on_central_state)
        self.link.add_pump(self.sender.pump)
        self.link.add_pump(self.commands.expire_held)

    def start(self) -> None:
        self.link.start()
        self.transport.start()

    def stop(self) -> None:
        self.transport.stop(final=(topics.up_state(self.site), self._state(online=False)))
        self.link.stop()

    def nudge(self) -> None:
        self.link.nudge()

    def health(self) -> dict:
        """Say how sync stands, for the API and the dashboard (fields documented in docs/sync.md)."""
        with read_connection(self.db_path) as conn:
            stream, dead = outbox_health(conn, UP_STREAM), dead_letter_counts(conn)
        return {"connected": self.transport.connected, "central_online": self.central_online,
                "peer_online": self.central_online, **stream, **dead, "auth_error": self.transport.auth_error}

    def _state(self, online: bool) -> bytes:
        state = {"v": 1, "online": online, "epoch": self.outbox.epoch(), "ts": utc_now()}
        if online:
            state.update(last_seq=self.outbox.last_seq(), outbox_depth=self.outbox.depth())
        return json.dumps(state).encode()

    def _publish_state(self) -> None:
        self.transport.publish(topics.up_state(self.site), self._state(online=True), qos=1, retain=True)

    def _on_connected(self) -> None:
        self.sender.rewind()
        self._publish_state()

    def _on_central_state(self, topic: str, payload: bytes) -> None:
        try:
            state = decode(StateV1Schema(), payload)
        except MessageError as err:
            self.inbox.dead_letter(topic, payload, str(err))
            return
        self.central_online = state["online"]
        self.sender.set_peer_online(state["online"])
        if state["online"]:
            self._publish_state()  # the centre answers with its high-water mark for us
            # Say which commands we hold: a site restored from a backup holds fewer than the centre
            # saw acknowledged, and nothing else would tell it to send them again.
            with read_connection(self.db_path) as conn:
                held = conn.execute("SELECT epoch, hwm FROM sync_inbox_cursor WHERE stream = ?"
                                    " ORDER BY epoch DESC LIMIT 1", [self.site]).fetchone()
            epoch, hwm = (held["epoch"], held["hwm"]) if held else (1, 0)
            self.commands.send_ack(self.site, epoch, hwm, resend_from=hwm + 1)

    def _on_ack(self, topic: str, payload: bytes) -> None:
        try:
            ack = decode(AckV1Schema(), payload)
        except MessageError as err:
            self.inbox.dead_letter(topic, payload, str(err))
            return
        if ack["site"] != self.site:
            self.inbox.dead_letter(topic, payload, f"ack for site {ack['site']!r} on {self.site!r}'s topic")
            return
        self.sender.on_ack(ack)
