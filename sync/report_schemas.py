"""Schemas of what the sync APIs report (health, dead letters), shared by the edge and the centre."""
from marshmallow import INCLUDE, RAISE, Schema, fields, validate

from .dead_letters import STATUSES

NOTE = validate.Length(min=1, max=500)
ACTOR = validate.Length(min=1, max=64)


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class OpenReportSchema(Schema):
    """A report that may carry more fields than documented (the sync engine adds some); clients ignore unknown ones."""

    class Meta:
        unknown = INCLUDE


class OutboxStreamSchema(OpenReportSchema):
    epoch = fields.Integer(metadata={"description": "the stream's current epoch (bumped when a database is restored)"})
    last_seq = fields.Integer(metadata={"description": "highest seq written to the outbox"})
    acked_through_seq = fields.Integer(metadata={"description": "highest seq the receiver has committed"})
    lag_events = fields.Integer(metadata={"description": "last_seq - acked_through_seq: events not yet acknowledged"})
    lag_seconds = fields.Float(metadata={"description": "age in seconds of the oldest unacknowledged event (0 if none)"})
    outbox_depth = fields.Integer(metadata={"description": "unacknowledged events waiting in the outbox"})
    oldest_unacked_at = fields.String(allow_none=True, metadata={"description": "when the oldest unacked event was recorded"})
    last_ack_at = fields.String(allow_none=True, metadata={"description": "when the receiver last acknowledged"})


class DeadLetterCountsSchema(OpenReportSchema):
    dead_letters = fields.Integer(metadata={"description": "dead letters ever set aside"})
    dead_letters_open = fields.Integer(metadata={"description": "dead letters waiting for a replay or a discard"})


class EdgeSyncHealthSchema(OutboxStreamSchema, DeadLetterCountsSchema):
    configured = fields.Boolean(metadata={"description": "false when this server runs without sync"})
    connected = fields.Boolean(metadata={"description": "connected to the MQTT broker"})
    peer_online = fields.Boolean(metadata={"description": "the centre's retained state says it is online"})
    central_online = fields.Boolean(metadata={"description": "same as peer_online (kept for older clients)"})
    auth_error = fields.String(allow_none=True, metadata={"description": "why the broker refused our login, if it did"})
    outbox_bytes = fields.Integer(metadata={"description": "estimated bytes of unacknowledged outbox rows"})
    outbox_budget_bytes = fields.Integer(metadata={"description": "the outbox's disk budget (--outbox-budget-mb)"})
    outbox_used = fields.Float(metadata={"description": "outbox_bytes / outbox_budget_bytes"})
    outbox_level = fields.String(metadata={"description": "ok; alarm (≥ 70%: the link is behind); "
                                                          "full (≥ 95%: new tasks are refused)"})
    outbox_message = fields.String(metadata={"description": "what the lead should do about the outbox level"})


class CommandStreamSchema(OutboxStreamSchema):
    peer_online = fields.Boolean(allow_none=True, metadata={"description": "the site's retained state says it is online"})


class SiteEventStreamSchema(OpenReportSchema):
    epoch = fields.Integer(allow_none=True, metadata={"description": "the epoch the centre last received events in"})
    received_through_seq = fields.Integer(metadata={"description": "highest contiguous seq committed at the centre"})
    last_received_at = fields.String(allow_none=True, metadata={"description": "when the centre last stored events"})
    site_epoch = fields.Integer(allow_none=True, metadata={"description": "epoch in the site's retained state"})
    site_last_seq = fields.Integer(allow_none=True, metadata={"description": "last seq the site says it has written"})
    lag_events = fields.Integer(allow_none=True, metadata={"description": "site_last_seq - received_through_seq"})
    site_outbox_depth = fields.Integer(allow_none=True, metadata={"description": "the site's own unacked count"})


class SiteSyncHealthSchema(OpenReportSchema):
    site_id = fields.String()
    online = fields.Boolean(metadata={"description": "the site's last presence message said online"})
    last_seen_at = fields.String(allow_none=True)
    peer_online = fields.Boolean(allow_none=True, metadata={"description": "the live sync endpoint's view of presence"})
    events = fields.Nested(SiteEventStreamSchema, metadata={"description": "site → centre events"})
    commands = fields.Nested(CommandStreamSchema, metadata={"description": "centre → site commands (our outbox)"})


class CentralSyncHealthSchema(DeadLetterCountsSchema):
    configured = fields.Boolean(metadata={"description": "false when the centre runs without sync"})
    connected = fields.Boolean(metadata={"description": "connected to the MQTT broker"})
    sites = fields.List(fields.Nested(SiteSyncHealthSchema))
    ingest_workers = fields.List(fields.Dict(), metadata={
        "description": "live ingest workers (when `wes-central ingest-worker` processes sync): worker, leader, "
                       "connected, applied, parked, seconds_since_beat"})
    parked_batches = fields.Integer(metadata={"description": "batches waiting for the one before them"})


class DeadLetterFilterSchema(StrictSchema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES),
                           metadata={"description": "open, replayed or discarded (default: all)"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2 ** 62))


class DeadLetterSummarySchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "event (rejected on apply), batch (undecodable or wrong site) "
                                                  "or control (presence, acks: not replayable)"})
    topic = fields.String(metadata={"description": "MQTT topic, or <stream>#<epoch>:<seq> for a rejected event"})
    reason = fields.String(metadata={"description": "why it was set aside (the latest failed replay's reason)"})
    received_at = fields.String()
    status = fields.String(metadata={"description": "open, replayed or discarded"})
    attempts = fields.Integer(metadata={"description": "replays tried"})
    resolved_at = fields.String(allow_none=True)
    resolved_by = fields.String(allow_none=True)


class DeadLetterPageSchema(Schema):
    dead_letters = fields.List(fields.Nested(DeadLetterSummarySchema))
    total = fields.Integer(metadata={"description": "how many match the filter"})
    limit = fields.Integer()
    offset = fields.Integer()


class AuditEntrySchema(Schema):
    action = fields.String(metadata={"description": "replay or discard"})
    outcome = fields.String(metadata={"description": "applied, failed or discarded"})
    actor = fields.String()
    at = fields.String()
    note = fields.String(allow_none=True)


class DeadLetterSchema(DeadLetterSummarySchema):
    payload = fields.String(metadata={"description": "the raw payload as received (an event's JSON for kind event)"})
    resolution = fields.String(allow_none=True, metadata={"description": "what the replay did, or why it was discarded"})
    audit = fields.List(fields.Nested(AuditEntrySchema))


class ReplayInSchema(StrictSchema):
    by = fields.String(required=True, validate=ACTOR, metadata={"description": "who replays it"})


class DiscardInSchema(StrictSchema):
    by = fields.String(required=True, validate=ACTOR, metadata={"description": "who discards it"})
    reason = fields.String(required=True, validate=NOTE, metadata={"description": "why it is discarded"})
