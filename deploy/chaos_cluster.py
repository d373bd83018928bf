"""The processes of one chaos episode: a broker, a centre and N sites, each behind its own TCP proxy.

    site edge ──▶ proxy(site) ──┐
    site edge ──▶ proxy(site) ──┼──▶ Mosquitto ◀── replayer (overhears and replays batches)
    centre    ──▶ proxy(centre) ┘
"""
import json
import logging
import random
import shutil
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .chaos_replay import BatchReplayer
from .mosquitto import MosquittoBroker, free_port
from .processes import SAMPLE_DIR, ServiceProcess, central_process, edge_process
from .tcp_proxy import TcpProxy

log = logging.getLogger("wes-chaos")


def site_ids(count: int) -> list[str]:
    return [f"DC{n:02d}" for n in range(1, count + 1)]


def write_seeds(workdir: Path, sites: list[str]) -> tuple[Path, dict[str, Path]]:
    """Write a catalogue naming every site and one seed per site (the sample site's layout and stock)."""
    seeds = workdir / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    catalogue = json.loads((SAMPLE_DIR / "catalogue.json").read_text())
    catalogue["sites"] = [{"site_id": site, "name": f"Chaos site {site}"} for site in sites]
    (seeds / "catalogue.json").write_text(json.dumps(catalogue))
    layout = json.loads((SAMPLE_DIR / "DC01.json").read_text())
    site_seeds = {}
    for site in sites:
        site_seeds[site] = seeds / f"{site}.json"
        site_seeds[site].write_text(json.dumps(dict(layout, site_id=site)))
    return seeds / "catalogue.json", site_seeds


def query(db: Path, sql: str, args=()) -> list[tuple]:
    """Read a live database from outside its process (WAL lets us read while it writes)."""
    conn = sqlite3.connect(db, timeout=10)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


class Cluster:
    """Start, stop and reach every process of an episode; every link to the broker goes through a proxy."""

    def __init__(self, workdir: Path, sites: list[str], rng: random.Random, resend_after: float = 2):
        self.workdir, self.sites = workdir, sites
        catalogue, site_seeds = write_seeds(workdir, sites)
        self.broker = MosquittoBroker(workdir=str(workdir / "mqtt"))
        self.central_link = TcpProxy("127.0.0.1", self.broker.port, mqtt=True, rng=rng)
        self.site_links = {site: TcpProxy("127.0.0.1", self.broker.port, mqtt=True, rng=rng) for site in sites}
        self.central = central_process(workdir, self.central_link.url, free_port(), resend_after, seed=catalogue)
        self.edges = {site: edge_process(workdir, site, self.site_links[site].url, free_port(), resend_after,
                                         seed=site_seeds[site]) for site in sites}
        self.replayer = BatchReplayer(self.broker.url, rng)
        self.lost_tails: dict[str, set[str]] = {site: set() for site in sites}
        self._backups = 0

    @property
    def central_db(self) -> Path:
        return self.workdir / "central.db"

    def edge_db(self, site: str) -> Path:
        return self.workdir / f"edge-{site}.db"

    def links(self) -> list[TcpProxy]:
        return [self.central_link, *self.site_links.values()]

    def services(self) -> list[ServiceProcess]:
        return [self.central, *self.edges.values()]

    def start(self) -> "Cluster":
        self.broker.start()
        for link in self.links():
            link.start()
        self.central.start()
        with ThreadPoolExecutor(len(self.sites)) as pool:  # sites start side by side, as in real life
            list(pool.map(lambda edge: edge.start(), self.edges.values()))
        for service in self.services():  # seed once: a seed on restart would recount stock mid-run
            at = service.args.index("--seed")
            del service.args[at:at + 2]
        self.replayer.start()
        return self

    def stop(self) -> None:
        self.replayer.stop()
        with ThreadPoolExecutor(len(self.services())) as pool:
            list(pool.map(lambda service: service.stop(), self.services()))
        for link in self.links():
            link.stop()
        self.broker.stop()

    def heal(self) -> None:
        """End every partition and bring back anything that is down."""
        for link in self.links():
            link.heal()
            link.reorder(False)
        if self.broker.process is None:
            self.broker.start()
        for service in self.services():
            if service.process is None or service.process.poll() is not None:
                service.start()

    def backup_edge_db(self, site: str) -> Path:
        """Take an online backup of a site's database (SQLite's backup API), as an operator's backup job would."""
        self._backups += 1
        backup = self.workdir / f"backup-{site}-{self._backups}.db"
        source, target = sqlite3.connect(self.edge_db(site), timeout=10), sqlite3.connect(backup)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        return backup

    def restore_edge_db(self, site: str, backup: Path) -> None:
        """Put a backup in place of a (stopped) site's database, noting the events the restore loses.

        The lost tail is every event the site had committed that the backup lacks: those it had
        delivered stay in the centre's ledger (the invariants allow for them), the rest are gone.
        """
        outbox = "SELECT event_id FROM sync_outbox WHERE stream = 'up'"
        tail = {row[0] for row in query(self.edge_db(site), outbox)} - {row[0] for row in query(backup, outbox)}
        self.lost_tails[site] |= tail
        log.info("restoring %s from %s: %d events committed since the backup are lost to the site",
                 site, backup.name, len(tail))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.edge_db(site)}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(backup, self.edge_db(site))

    def centre_hwm(self, site: str, epoch: int) -> int:
        """The centre's high-water mark for a site's events (what it has applied)."""
        rows = query(self.central_db, "SELECT hwm FROM sync_inbox_cursor WHERE stream = ? AND epoch = ?", [site, epoch])
        return rows[0][0] if rows else 0

    def site_cmd_hwm(self, site: str, epoch: int) -> int:
        """A site's high-water mark for the centre's commands."""
        rows = query(self.edge_db(site), "SELECT hwm FROM sync_inbox_cursor WHERE stream = ? AND epoch = ?",
                     [site, epoch])
        return rows[0][0] if rows else 0
