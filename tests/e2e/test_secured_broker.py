"""The centre (on SQLite, or PostgreSQL with --central-db=postgres) and a site run against a broker that demands
logins and enforces the per-site ACL."""
from deploy.mosquitto import MosquittoBroker, free_port
from deploy.mqtt_access import write_access_kit
from deploy.processes import SAMPLE_DIR, ServiceProcess, http_json

from .flow import SITE, wait_until


def test_order_flows_down_and_status_up_with_site_logins(tmp_path, central_db):
    write_access_kit(tmp_path / "kit", [SITE])
    secrets = tmp_path / "kit" / "secrets"
    with MosquittoBroker(workdir=str(tmp_path / "mqtt"), access_kit=str(tmp_path / "kit")) as broker:
        central = ServiceProcess("central", [
            "--db", central_db, "--mqtt-url", broker.url, "--seed", str(SAMPLE_DIR / "catalogue.json"),
            "--mqtt-username", "central", "--mqtt-password-file", str(secrets / "central.password")],
            free_port(), tmp_path / "central.log").start()
        edge = ServiceProcess("edge", [
            "--site", SITE, "--db", str(tmp_path / f"edge-{SITE}.db"), "--mqtt-url", broker.url,
            "--seed", str(SAMPLE_DIR / f"{SITE}.json"),
            "--mqtt-username", SITE, "--mqtt-password-file", str(secrets / f"{SITE}.password")],
            free_port(), tmp_path / f"edge-{SITE}.log").start()
        try:
            wait_until(lambda: http_json("GET", f"{central.url}/api/v1/sites/{SITE}/stock")[1].get("stock"), 30,
                       "the site's stock to reach the centre through the secured broker")
            status, order = http_json("POST", f"{central.url}/api/v1/orders", {
                "customer": "Tea Rooms Ltd", "requested_ship_date": "2026-12-01",
                "lines": [{"sku": "SKU-KETTLE", "qty": 1}]})
            assert status == 201
            wait_until(lambda: http_json("GET", f"{central.url}/api/v1/orders/{order['order_id']}")[1]["status"]
                       == "released", 30, "the site to release the order and report it")
            assert http_json("GET", f"{edge.url}/api/v1/sync")[1]["auth_error"] is None
        finally:
            edge.stop()
            central.stop()
