"""An approved count variance and a replenishment reach the centre exactly once, over real Mosquitto, SQLite and
HTTP processes; afterwards the centre's stock of the site equals the edge's (issue 9)."""
import json
from http.cookiejar import CookieJar
from urllib import error, parse, request

from edge.bootstrap import add_staff_user

from .flow import SITE, pick_everything, wait_until

PASSWORD = "correct-horse-42"


class LeadBrowser:
    """A site lead's dashboard session over real HTTP: login form, cookie, CSRF token on every write."""

    def __init__(self, base_url: str, username: str):
        self.base_url = base_url
        self.opener = request.build_opener(request.HTTPCookieProcessor(CookieJar()))
        page = self.opener.open(f"{base_url}/login").read().decode()
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        form = parse.urlencode({"username": username, "password": PASSWORD, "csrf_token": token}).encode()
        self.opener.open(request.Request(f"{base_url}/login", data=form, method="POST"))
        page = self.opener.open(f"{base_url}/counts").read().decode()
        self.token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        req = request.Request(self.base_url + path, method=method, data=json.dumps(body).encode() if body else None,
                              headers={"Content-Type": "application/json", "Accept": "application/json",
                                       "X-CSRFToken": self.token})
        try:
            with self.opener.open(req) as resp:
                return resp.status, json.loads(resp.read())
        except error.HTTPError as err:
            return err.code, json.loads(err.read())


def test_an_approved_variance_and_a_replenishment_reach_the_centre_exactly_once(network):
    add_staff_user(str(network.workdir / f"edge-{SITE}.db"), SITE, "maria", "lead", PASSWORD)
    lead = LeadBrowser(network.edge.url, "maria")
    assert lead.call("PUT", "/api/v1/count-settings", {"recount_units": 1000, "recount_pct": 100,
                                                        "approval_units": 0, "approval_pct": 0})[0] == 200
    assert lead.call("PUT", "/api/v1/pick-faces", {"faces": [
        {"location": "A-01-01", "sku": "SKU-BLUE-MUG", "min": 398, "max": 410}]})[0] == 200

    order_id = network.create_order([{"sku": "SKU-BLUE-MUG", "qty": 5}], "E2E-REPLEN")
    wait_until(lambda: network.central_order(order_id)["status"] == "released", 30, "the site to release the order")
    picker = network.picker()
    assert pick_everything(picker) == 1  # 395 left at the face, under its min of 398
    replen = picker.next_replenishment()
    assert (replen["from_location"], replen["to_location"], replen["qty"]) == ("C-01-01", "A-01-01", 15)
    body = {"op_id": "6f0c1c0e-0000-4000-8000-000000000001", "from_barcode": replen["from_barcode"],
            "item_barcode": replen["item_barcodes"][-1], "qty": 15, "to_barcode": replen["to_barcode"],
            "lease_epoch": replen["lease_epoch"]}
    path = f"/api/v1/replenishments/{replen['replen_id']}/confirm"
    assert picker.post(path, body)["replenishment"]["status"] == "done"
    assert picker.post(path, body)["replenishment"]["status"] == "done"  # a replay books nothing more

    status, scheduled = lead.call("POST", "/api/v1/counts", {"locations": ["A-02-01"], "reason": "cycle count"})
    assert status == 201, scheduled
    count = picker.next_count()
    answer = picker.post(f"/api/v1/counts/{count['count_id']}/submit", {
        "op_id": "6f0c1c0e-0000-4000-8000-000000000002", "location_barcode": count["location_barcode"],
        "lines": [{"barcode": "SKU-TEA-TOWEL", "qty": 296}], "lease_epoch": count["lease_epoch"]})
    assert answer["status"] == "awaiting_approval"
    status, decided = lead.call("POST", f"/api/v1/counts/{count['count_id']}/approve", {"reason": "4 soiled"})
    assert (status, decided["status"]) == (200, "approved")
    assert lead.call("POST", f"/api/v1/counts/{count['count_id']}/approve", {"reason": "again"})[0] == 409

    wait_until(lambda: network.central_stock().get(("A-02-01", "SKU-TEA-TOWEL", "")) == 296, 30,
               "the centre to book the count")
    network.assert_synced_exactly_once()
    centre = network.central_stock()
    assert centre[("A-01-01", "SKU-BLUE-MUG", "")] == 410 and centre[("C-01-01", "SKU-BLUE-MUG", "")] == 85
