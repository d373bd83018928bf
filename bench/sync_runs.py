"""Launch a centre and site processes against one broker and time a full catch-up (benchmark support)."""
import json
import subprocess
import sys
import time

from sync.sqlite_store import read_connection

from .sync_peers import cpu_seconds, peak_rss_mb


def catch_up(broker_url: str, hub_db: str, sites: dict[str, str], *, processes: int = 1,
             batch_max: int = 500, window: int = 8, broker_pid: int | None = None) -> dict:
    """Start the centre, then `processes` site processes sharing `sites`; return seconds and peak RSS."""
    centre = subprocess.Popen([sys.executable, "-m", "bench.sync_peers", "centre", "--url", broker_url,
                               "--db", hub_db])
    groups = [list(sites.items())[i::processes] for i in range(processes)]
    edges = []
    broker_cpu = cpu_seconds(broker_pid) if broker_pid else 0.0
    try:
        time.sleep(0.5)  # let the centre subscribe; sites also wait for its retained "online" state
        for group in groups:
            cmd = [sys.executable, "-m", "bench.sync_peers", "sites", "--url", broker_url,
                   "--batch-max", str(batch_max), "--window", str(window)]
            for site, db in group:
                cmd += ["--site", site, "--db", db]
            edges.append(subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True))
        results = [json.loads(edge.communicate()[0].strip().splitlines()[-1]) for edge in edges]
        central_rss, central_cpu = peak_rss_mb(centre.pid), cpu_seconds(centre.pid)
        broker_cpu = cpu_seconds(broker_pid) - broker_cpu if broker_pid else None
    finally:
        centre.terminate()
        centre.wait(timeout=30)
    return {"seconds": max(r["seconds"] for r in results), "complete": all(r["complete"] for r in results),
            "edge_peak_rss_mb": max(r["peak_rss_mb"] for r in results), "central_peak_rss_mb": central_rss,
            "cpu_s": {"sites": round(sum(r["cpu_s"] for r in results), 2), "centre": central_cpu,
                      "broker": broker_cpu}}


def exactly_once(hub_db: str, site: str, site_db: str) -> dict:
    """Compare a site's outbox with the centre's ledger: every event once, seqs contiguous per epoch."""
    with read_connection(site_db) as conn:
        sent = {row[0] for row in conn.execute("SELECT event_id FROM sync_outbox WHERE stream = 'up'")}
    with read_connection(hub_db) as conn:
        rows = conn.execute("SELECT epoch, seq, event_id FROM sync_inbox WHERE stream = ? ORDER BY epoch, seq",
                            [site]).fetchall()
    stored = [row[2] for row in rows]
    epochs: dict[int, list[int]] = {}
    for epoch, seq, _ in rows:
        epochs.setdefault(epoch, []).append(seq)
    return {"events": len(sent), "lost": len(sent - set(stored)), "duplicated": len(stored) - len(set(stored)),
            "contiguous": all(seqs == list(range(1, len(seqs) + 1)) for seqs in epochs.values())}
