"""A fake of the edge's handheld API: tasks in memory, op_id replay, switchable reachability."""
from handheld.edge_client import EdgeRefused, EdgeUnreachable

BLUE_MUG_GTIN = "05012345678900"


def a_task(task_id="T-1", sku="SKU-BLUE-MUG", location="A-01-01", qty=3, gtin=BLUE_MUG_GTIN) -> dict:
    return {"task_id": task_id, "order_id": "SO-1", "line_no": 1, "sku": sku, "description": "Blue mug 350 ml",
            "location": location, "location_barcode": f"LOC-{location}", "item_barcodes": [sku, gtin],
            "qty": qty, "picked_qty": 0, "status": "assigned", "next_step": "scan_location"}


class FakeEdgeClient:
    """Answer like the edge: next task, ops applied once per op_id; refusals and outages on demand."""

    def __init__(self, tasks=(), pickers=None):
        self.tasks = list(tasks)
        self.pickers = pickers or {("BADGE-0001", "1234"): "Sam Picker"}
        self.reachable = True
        self.token = None
        self.applied: dict[str, tuple[str, dict]] = {}
        self.refuse: dict[str, tuple[int, str, str]] = {}  # path fragment -> (status, code, message)
        self.picked: dict[str, int] = {}
        self.orders_ready: list[dict] = []
        self.order_details: dict[str, dict] = {}  # order_id -> the edge's order detail (lines, cartons)
        self.alternative: dict | None = None

    def _check(self):
        if not self.reachable:
            raise EdgeUnreachable("edge at fake unreachable")

    def sign_in(self, badge, pin):
        self._check()
        if (badge, pin) not in self.pickers:
            raise EdgeRefused(401, "bad_credentials", "Badge or PIN not recognised. Scan your badge again.")
        self.token = "tok-" + badge
        return {"token": self.token, "picker": {"badge": badge, "name": self.pickers[(badge, pin)]}}

    def next_task(self):
        self._check()
        for task in self.tasks:
            if self.picked.get(task["task_id"], 0) < task["qty"] and task["task_id"] not in self.closed:
                return dict(task, picked_qty=self.picked.get(task["task_id"], 0))
        return None

    closed: set = set()

    def my_tasks(self, limit):
        """Lease every unfinished task, like the edge's GET /tasks/mine (epoch 1 unless taken over)."""
        self._check()
        if "tasks/mine" in self.refuse:
            raise EdgeRefused(*self.refuse["tasks/mine"])
        open_tasks = [dict(t, picked_qty=self.picked.get(t["task_id"], 0), lease_epoch=t.get("lease_epoch", 1))
                      for t in self.tasks
                      if self.picked.get(t["task_id"], 0) < t["qty"] and t["task_id"] not in self.closed]
        return open_tasks[:limit]

    def orders(self, statuses):
        self._check()
        return self.orders_ready

    def order(self, order_id):
        self._check()
        if order_id not in self.order_details:
            raise EdgeRefused(404, "unknown_order", f"No order {order_id} at this site.")
        return self.order_details[order_id]

    def post(self, path, body):
        self._check()
        op_id = body["op_id"]
        if op_id in self.applied:
            return {"replayed": True}
        for fragment, (status, code, message) in self.refuse.items():
            if fragment in path:
                raise EdgeRefused(status, code, message)
        self.applied[op_id] = (path, body)
        task_id = path.split("/")[4] if "/tasks/" in path else None
        if path.endswith("/picks"):
            self.picked[task_id] = self.picked.get(task_id, 0) + body["qty"]
        if path.endswith("/short"):
            self.picked[task_id] = self.picked.get(task_id, 0) + body["qty_found"]
            self.closed = self.closed | {task_id}
            if self.alternative:
                return {"ok": True, "alternative": self.alternative}
        if path.endswith("/postpone"):  # back to the pool, offered after everything else
            self.tasks = [t for t in self.tasks if t["task_id"] != task_id] + [
                t for t in self.tasks if t["task_id"] == task_id]
        return {"ok": True}

    def paths(self) -> list[str]:
        return [path.rsplit("/", 1)[-1] for path, _ in self.applied.values()]
