"""The faults a chaos episode injects, one at a time, each ending with the victim back up.

Kinds: kill -9 or a clean restart of a site, the centre or the broker; partitions (a cut link, or a
stalled one that holds bytes) of a site or the centre from the broker, of random length; kill -9
of a site or of the centre while a backlog drains after a partition (mid-batch, mid-commit);
replayed batches, duplicated and out of order, on the wire; PUBLISH packets shuffled in a proxy; a
site's database restored from a backup taken a few seconds earlier (the site must start a new epoch).
"""
import logging
import random
import time
from functools import partial

from .chaos_cluster import Cluster
from .processes import http_json

log = logging.getLogger("wes-chaos")

FAULT_KINDS = ("kill_edge", "kill_central", "kill_broker", "restart_edge", "restart_central",
               "partition_edge", "partition_central", "stall_edge", "stall_central",
               "kill_edge_draining", "kill_central_draining", "replay_batches", "replay_ahead",
               "reorder_wire", "restore_edge_db")
OPTIONAL_KINDS: dict[str, str] = {}  # kinds known but not available yet, with what they need


class FaultBag:
    """Draw fault kinds from a shuffled bag, refilled when empty: a short run still sees each kind.

    One bag serves every episode of a run, so a run of n episodes covers the kinds between them.
    """

    def __init__(self, kinds: tuple[str, ...], rng: random.Random):
        unknown = set(kinds) - set(FAULT_KINDS)
        if unknown or not kinds:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}: "
                             + "; ".join(f"{k} needs {OPTIONAL_KINDS[k]}" for k in unknown if k in OPTIONAL_KINDS))
        self.kinds, self.rng = kinds, rng
        self._bag: list[str] = []

    def draw(self) -> str:
        if not self._bag:
            self._bag = list(self.kinds)
            self.rng.shuffle(self._bag)
        return self._bag.pop()


class FaultInjector:
    """Inject the bag's next fault, wait out its outage and bring the victim back."""

    def __init__(self, cluster: Cluster, rng: random.Random, bag: FaultBag, max_outage: float = 6.0):
        self.cluster, self.rng, self.bag, self.max_outage = cluster, rng, bag, max_outage
        self.injected: dict[str, int] = {kind: 0 for kind in bag.kinds}

    def inject(self) -> str:
        kind = self.bag.draw()
        getattr(self, kind)()
        self.injected[kind] += 1
        return kind

    def _outage(self, low: float = 0.2) -> float:
        """A partition or downtime length: mostly short, sometimes up to max_outage."""
        return min(self.max_outage, low + self.rng.expovariate(3.0 / self.max_outage))

    def _site(self) -> str:
        return self.rng.choice(self.cluster.sites)

    def _bounce(self, service, hard: bool) -> None:
        if hard:
            service.kill()
        else:
            service.stop()
        time.sleep(self._outage())
        service.start()

    def kill_edge(self) -> None:
        self._bounce(self.cluster.edges[self._site()], hard=True)

    def restart_edge(self) -> None:
        self._bounce(self.cluster.edges[self._site()], hard=False)

    def kill_central(self) -> None:
        self._bounce(self.cluster.central, hard=True)

    def restart_central(self) -> None:
        self._bounce(self.cluster.central, hard=False)

    def kill_broker(self) -> None:
        self.cluster.broker.kill()  # persistence is off: every queued message is gone
        time.sleep(self._outage())
        self.cluster.broker.start()

    def _partition(self, link, stall: bool) -> None:
        if stall:
            link.stall()
        else:
            link.cut()
        time.sleep(self._outage(low=0.5))
        link.heal()

    def partition_edge(self) -> None:
        self._partition(self.cluster.site_links[self._site()], stall=False)

    def partition_central(self) -> None:
        self._partition(self.cluster.central_link, stall=False)

    def stall_edge(self) -> None:
        self._partition(self.cluster.site_links[self._site()], stall=True)

    def stall_central(self) -> None:
        self._partition(self.cluster.central_link, stall=True)

    def reorder_wire(self) -> None:
        """Shuffle PUBLISH packets on one link (a site's or the centre's) for a while, both ways."""
        link = self.rng.choice(self.cluster.links())
        link.reorder(True)
        time.sleep(self._outage(low=1.0))
        link.reorder(False)

    def kill_edge_draining(self) -> None:
        """Cut a site off so a backlog builds, heal, then kill -9 it while the backlog goes out."""
        site = self._site()
        self._partition(self.cluster.site_links[site], stall=False)
        self._wait_draining(self.cluster.edges[site])
        self._bounce(self.cluster.edges[site], hard=True)

    def kill_central_draining(self) -> None:
        """Cut the centre off, heal, kill -9 it mid-ingest; on its return, replay the newest batches first."""
        self._partition(self.cluster.central_link, stall=False)
        since = time.monotonic()  # the backlog's batches, overheard from here on, are what it may lose
        self._wait_draining(self.cluster.central)
        self.cluster.central.kill()
        time.sleep(self._outage())
        self.cluster.central.start()
        self._replay(since=since)

    def replay_batches(self) -> None:
        self._replay()

    def restore_edge_db(self) -> None:
        """Back a site's database up, let it work on, kill -9 it and put the backup back in place.

        Half the time the site is cut off meanwhile, so the tail the restore loses never reached the
        centre (gone with the disk) rather than being in the centre's ledger already.
        """
        site = self._site()
        link, offline = self.cluster.site_links[site], self.rng.random() < 0.5
        backup = self.cluster.backup_edge_db(site)
        if offline:
            link.cut()
        time.sleep(self._outage(low=1.0))  # the work done now is the tail the restore loses
        self.cluster.edges[site].kill()
        self.cluster.restore_edge_db(site, backup)
        link.heal()
        time.sleep(self._outage())
        self.cluster.edges[site].start()

    def replay_ahead(self) -> None:
        """Make the centre see later batches before earlier ones, for real.

        Stall the centre's link while sites keep sending (the replayer overhears those batches), hold
        the sites' links too, cut the centre's link (its held bytes are gone) and let it reconnect;
        then replay the overheard batches shuffled, before any site can resend them.
        """
        cluster, since = self.cluster, time.monotonic()
        cluster.central_link.stall()
        time.sleep(self._outage(low=1.0))
        for link in cluster.site_links.values():
            link.stall()
        cluster.central_link.cut()
        cluster.central_link.heal()
        self._wait_until(lambda: not _connected(cluster.central), 5)  # it notices the cut...
        self._wait_until(lambda: _connected(cluster.central), 15)  # ...and comes back, subscribed
        for site in cluster.sites:
            self._replay(since=since, site=site, channel="up/events")
        time.sleep(self.rng.uniform(0.2, 1.0))
        for link in cluster.site_links.values():
            link.heal()

    def _replay(self, since: float | None = None, site: str | None = None, channel: str = "") -> None:
        replayer, site = self.cluster.replayer, site or self._site()
        for topic in replayer.topics_for(site):
            if not topic.endswith(channel):
                continue
            read_hwm = self.cluster.centre_hwm if topic.endswith("up/events") else self.cluster.site_cmd_hwm
            replayer.replay(topic, partial(read_hwm, site), most=self.rng.randint(2, 6), since=since)

    def _wait_draining(self, service) -> None:
        """Wait until the victim is connected again, then a random moment into the drain."""
        self._wait_until(lambda: _connected(service), 15)
        time.sleep(self.rng.uniform(0, 0.3))

    @staticmethod
    def _wait_until(check, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if check():
                    return True
            except (OSError, ValueError):  # down or restarting: ask again
                pass
            time.sleep(0.02)
        return False


def _connected(service) -> bool:
    """Ask a site or the centre whether its sync link is connected to the broker."""
    return bool(http_json("GET", f"{service.url}/api/v1/sync", timeout=2)[1].get("connected"))
