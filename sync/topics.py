"""Build and parse the versioned, per-site MQTT topics."""

PREFIX = "wes/v1"
CENTRAL_STATE = f"{PREFIX}/central/state"


def up_events(site: str) -> str:
    return f"{PREFIX}/{site}/up/events"


def up_state(site: str) -> str:
    return f"{PREFIX}/{site}/up/state"


def up_cmdack(site: str) -> str:
    return f"{PREFIX}/{site}/up/cmdack"


def down_ack(site: str) -> str:
    return f"{PREFIX}/{site}/down/ack"


def down_cmd(site: str) -> str:
    return f"{PREFIX}/{site}/down/cmd"


def parse(topic: str) -> tuple[str, str] | None:
    """Return (site, channel) for a per-site topic, e.g. ("DC01", "up/events"), else None."""
    parts = topic.split("/")
    if len(parts) != 5 or f"{parts[0]}/{parts[1]}" != PREFIX or parts[2] == "central":
        return None
    return parts[2], f"{parts[3]}/{parts[4]}"


def matches(topic_filter: str, topic: str) -> bool:
    """Tell whether an MQTT topic matches a filter with + and # wildcards."""
    f_parts, t_parts = topic_filter.split("/"), topic.split("/")
    for i, part in enumerate(f_parts):
        if part == "#":
            return True
        if i >= len(t_parts) or (part != "+" and part != t_parts[i]):
            return False
    return len(f_parts) == len(t_parts)
