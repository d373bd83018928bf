"""Talk to the site's edge handheld API over HTTP/JSON (stdlib only, so it runs on a handheld)."""
import json
import uuid
from http.client import HTTPException
from urllib import error, request
from urllib.parse import quote


class EdgeUnreachable(Exception):
    """Raise when the edge cannot be reached: the op may be queued and replayed later."""


class EdgeRefused(Exception):
    """Raise when the edge answers with an error: carries its code and operator message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class EdgeClient:
    """Call the handheld API as one device; every mutating call carries a fresh op_id."""

    def __init__(self, base_url: str, device_id: str, timeout: float = 10.0, device_token: str | None = None):
        self.base_url, self.device_id, self.timeout = base_url.rstrip("/"), device_id, timeout
        self.token: str | None = None
        self.device_token = device_token

    def enrol(self, enrolment_code: str) -> dict:
        """Enrol this device with a code from the site lead; keep (and return) the device token."""
        answer = self._call("POST", "/api/v1/devices", {"enrolment_code": enrolment_code,
                                                        "device_id": self.device_id})
        self.device_token = answer["device_token"]
        return answer

    def sign_in(self, badge: str, pin: str) -> dict:
        answer = self._call("POST", "/api/v1/sessions", {"badge": badge, "pin": pin, "device_id": self.device_id})
        self.token = answer["token"]
        return answer

    def next_task(self) -> dict | None:
        return self._call("GET", "/api/v1/tasks/next")["task"]

    def my_tasks(self, limit: int = 5) -> list[dict]:
        """Lease up to `limit` tasks to this device (own unfinished first), to work with no connection."""
        return self._call("GET", f"/api/v1/tasks/mine?limit={int(limit)}")["tasks"]

    def next_count(self) -> dict | None:
        """Take the next count task (location only: the count is blind)."""
        return self._call("GET", "/api/v1/counts/next")["count"]

    def next_replenishment(self) -> dict | None:
        """Take the next replenishment: from which reserve, which item, how many, to which pick face."""
        return self._call("GET", "/api/v1/replenishments/next")["replenishment"]

    def postpone(self, task_id: str, reason: str, op_id: str | None = None) -> dict:
        return self._mutate(f"/api/v1/tasks/{task_id}/postpone", {"reason": reason}, op_id)

    def scan_location(self, task_id: str, barcode: str, op_id: str | None = None) -> dict:
        return self._mutate(f"/api/v1/tasks/{task_id}/location-scan", {"barcode": barcode}, op_id)

    def pick(self, task_id: str, barcode: str, qty: int, op_id: str | None = None) -> dict:
        return self._mutate(f"/api/v1/tasks/{task_id}/picks", {"barcode": barcode, "qty": qty}, op_id)

    def short(self, task_id: str, qty_found: int, reason: str, op_id: str | None = None) -> dict:
        return self._mutate(f"/api/v1/tasks/{task_id}/short", {"qty_found": qty_found, "reason": reason}, op_id)

    def close_carton(self, order_id: str, op_id: str | None = None, items: list[dict] | None = None) -> dict:
        """Close a carton with the items scanned into it ([{barcode, qty}]), or with all left to pack."""
        return self._mutate(f"/api/v1/orders/{order_id}/cartons", {} if items is None else {"items": items}, op_id)

    def ship(self, order_id: str, op_id: str | None = None, dock_door: str = "",
             cartons: list[str] | None = None) -> dict:
        """Confirm shipment; with the dock door and the carton ids or SSCCs scanned at loading, when given."""
        body = {"dock_door": dock_door} | ({} if cartons is None else {"cartons": cartons})
        return self._mutate(f"/api/v1/orders/{order_id}/shipment", body, op_id)

    def order(self, order_id: str) -> dict:
        """Show one order with its lines (and the barcodes each accepts), tasks and cartons."""
        return self._call("GET", f"/api/v1/orders/{quote(order_id, safe='')}")

    def orders(self, statuses: list[str]) -> list[dict]:
        answer = self._call("GET", "/api/v1/orders?status=" + ",".join(statuses))
        return answer["orders"] if isinstance(answer, dict) else answer

    def get(self, path: str) -> dict:
        """GET a read-only resource of the handheld API (receipts, putaway tasks)."""
        return self._call("GET", path)

    def post(self, path: str, body: dict) -> dict:
        """POST a queued op's stored body (it carries its original op_id) to the edge."""
        return self._call("POST", path, body)

    def _mutate(self, path: str, body: dict, op_id: str | None) -> dict:
        return self._call("POST", path, dict(body, op_id=op_id or str(uuid.uuid4())))

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.device_token:
            headers["X-Device-Token"] = self.device_token
        req = request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
        except error.HTTPError as err:
            try:
                problem = json.loads(err.read() or b"{}")
            except ValueError:
                problem = {}
            raise EdgeRefused(err.code, problem.get("error", "error"), problem.get("message", str(err))) from None
        except (error.URLError, OSError, HTTPException) as err:  # HTTPException: the reply was cut off
            raise EdgeUnreachable(f"edge at {self.base_url} unreachable: {err}") from None
        return json.loads(raw) if raw else {}
