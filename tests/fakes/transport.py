"""A fake MQTT transport for the sync core: records publishes, can be disconnected."""
from dataclasses import dataclass, field


@dataclass
class FakeTransport:
    connected: bool = True
    published: list[tuple[str, bytes]] = field(default_factory=list)

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None:
        self.published.append((topic, payload))

    def take(self) -> list[tuple[str, bytes]]:
        taken, self.published = self.published, []
        return taken


class FakeClock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
