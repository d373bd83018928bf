"""Simulate a picker working through tasks with the real handheld API (for the demo and load)."""
import argparse
import logging
import random
import threading

from .edge_client import EdgeClient, EdgeRefused, EdgeUnreachable

log = logging.getLogger(__name__)

READY_TO_PACK = ["picked", "short"]


class PickerSim:
    """Sign in, then pick every task offered, pack and ship finished orders, until told to stop."""

    def __init__(self, edge_url: str, badge: str, pin: str, device_id: str, *,
                 wrong_scan_rate: float = 0.0, seed: int = 1, idle_wait: float = 0.2,
                 enrolment_code: str | None = None, device_token: str | None = None):
        self.client = EdgeClient(edge_url, device_id, device_token=device_token)
        self.enrolment_code = enrolment_code
        self.badge, self.pin = badge, pin
        self.rng = random.Random(seed)
        self.wrong_scan_rate, self.idle_wait = wrong_scan_rate, idle_wait
        self.stats = {"picks": 0, "wrong_scans": 0, "cartons": 0, "shipments": 0, "refusals": 0}

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                if self.enrolment_code and self.client.device_token is None:
                    self.client.enrol(self.enrolment_code)
                if self.client.token is None:
                    self.client.sign_in(self.badge, self.pin)
                if not self.step():
                    stop.wait(self.idle_wait)
            except EdgeUnreachable as err:
                log.warning("%s: %s; retrying", self.badge, err)
                stop.wait(1.0)
            except EdgeRefused as err:
                self.stats["refusals"] += 1
                if err.code in ("not_signed_in", "session_expired"):
                    self.client.token = None
                log.info("%s: edge refused: %s", self.badge, err)

    def step(self) -> bool:
        """Do one unit of work; return False when there was nothing to do."""
        task = self.client.next_task()
        if task:
            self.pick(task)
            return True
        for order in self.client.orders(READY_TO_PACK + ["packed"]):
            try:
                if order["status"] != "packed":  # packed already: the edge went down before we shipped
                    self.client.close_carton(order["order_id"])
                    self.stats["cartons"] += 1
                self.client.ship(order["order_id"])
                self.stats["shipments"] += 1
            except EdgeRefused as err:  # another picker got there first: not an error
                log.debug("%s: %s", self.badge, err.message)
            return True
        return False

    def pick(self, task: dict) -> None:
        if task["next_step"] == "scan_location":
            if self.rng.random() < self.wrong_scan_rate:
                try:
                    self.client.scan_location(task["task_id"], "LOC-Z-99-99")
                except EdgeRefused as err:
                    self.stats["wrong_scans"] += 1
                    log.info("%s: %s", self.badge, err.message)
            self.client.scan_location(task["task_id"], task["location_barcode"])
        self.client.pick(task["task_id"], task["item_barcodes"][-1], task["qty"] - task["picked_qty"])
        self.stats["picks"] += 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="wes-picker-sim",
                                     description="Simulate a picker using the edge's handheld API.")
    parser.add_argument("--edge-url", default="http://127.0.0.1:8001", help="edge base URL")
    parser.add_argument("--badge", default="BADGE-0001", help="picker badge")
    parser.add_argument("--pin", default="1234", help="picker PIN")
    parser.add_argument("--device-id", default="HH-SIM-01", help="handheld device id")
    parser.add_argument("--enrolment-code", help="enrol the simulated handheld first (wes-edge enrolment-code)")
    parser.add_argument("--wrong-scan-rate", type=float, default=0.05, help="share of tasks with a wrong scan first")
    parser.add_argument("--seconds", type=float, default=0, help="stop after this long (0: until Ctrl-C)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    sim = PickerSim(args.edge_url, args.badge, args.pin, args.device_id, wrong_scan_rate=args.wrong_scan_rate,
                    enrolment_code=args.enrolment_code)
    stop = threading.Event()
    if args.seconds:
        threading.Timer(args.seconds, stop.set).start()
    try:
        sim.run(stop)
    except KeyboardInterrupt:
        pass
    print(sim.stats)


if __name__ == "__main__":
    main()
