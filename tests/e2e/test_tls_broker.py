"""The centre and a site as real processes over Mosquitto's TLS listener, trusting only the kit's private CA."""
from deploy.mosquitto import MosquittoBroker, free_port
from deploy.mqtt_access import write_access_kit
from deploy.processes import SAMPLE_DIR, ServiceProcess, http_json

from .flow import SITE, wait_until


def test_stock_and_orders_flow_over_mqtts_with_the_private_ca(tmp_path):
    kit = tmp_path / "kit"
    write_access_kit(kit, [SITE], tls=True)
    secrets, ca = kit / "secrets", str(kit / "tls" / "ca.crt")
    with MosquittoBroker(workdir=str(tmp_path / "mqtt"), access_kit=str(kit), tls_dir=str(kit / "tls")) as broker:
        assert broker.url.startswith("mqtts://")
        central = ServiceProcess("central", [
            "--db", str(tmp_path / "central.db"), "--mqtt-url", broker.url, "--mqtt-ca-file", ca,
            "--seed", str(SAMPLE_DIR / "catalogue.json"),
            "--mqtt-username", "central", "--mqtt-password-file", str(secrets / "central.password")],
            free_port(), tmp_path / "central.log").start()
        edge = ServiceProcess("edge", [
            "--site", SITE, "--db", str(tmp_path / f"edge-{SITE}.db"), "--mqtt-url", broker.url,
            "--mqtt-ca-file", ca, "--seed", str(SAMPLE_DIR / f"{SITE}.json"), "--outbox-budget-mb", "64",
            "--mqtt-username", SITE, "--mqtt-password-file", str(secrets / f"{SITE}.password")],
            free_port(), tmp_path / f"edge-{SITE}.log").start()
        try:
            wait_until(lambda: http_json("GET", f"{central.url}/api/v1/sites/{SITE}/stock")[1].get("stock"), 30,
                       "the site's stock to reach the centre over TLS")
            status, order = http_json("POST", f"{central.url}/api/v1/orders", {
                "customer": "Tea Rooms Ltd", "requested_ship_date": "2026-12-01",
                "lines": [{"sku": "SKU-KETTLE", "qty": 1}]})
            assert status == 201
            wait_until(lambda: http_json("GET", f"{central.url}/api/v1/orders/{order['order_id']}")[1]["status"]
                       == "released", 30, "the site to release the order and report it")
            wait_until(lambda: http_json("GET", f"{edge.url}/api/v1/sync")[1]["lag_events"] == 0, 30,
                       "the site's outbox to drain")
            edge_sync = http_json("GET", f"{edge.url}/api/v1/sync")[1]
            assert edge_sync["connected"] and edge_sync["peer_online"] and edge_sync["auth_error"] is None
            assert (edge_sync["outbox_level"], edge_sync["outbox_budget_bytes"]) == ("ok", 64 * 1024 * 1024)
            site = http_json("GET", f"{central.url}/api/v1/sync/sites/{SITE}")[1]
            assert site["peer_online"] and site["commands"]["lag_events"] == 0
        finally:
            edge.stop()
            central.stop()
