"""Refusals a picker or the centre can meet, each with a machine code and operator text that says what to do."""


class DomainError(Exception):
    """Refuse an action; nothing the action would change is changed."""

    code = "refused"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __reduce__(self):
        # Subclasses take their own arguments, so the default (cls(*args)) cannot rebuild them; the state can.
        return _rebuild_refusal, (type(self), self.args, self.__dict__)


def _rebuild_refusal(cls: type, args: tuple, state: dict) -> DomainError:
    """Rebuild a refusal from its class, args and attributes (what a writer process hands back)."""
    refusal = cls.__new__(cls)
    refusal.args = args
    refusal.__dict__.update(state)
    return refusal


class CountedRefusal(DomainError):
    """Refuse a scan but keep a record of it: the refusal itself is a fact worth counting."""


class WrongLocation(CountedRefusal):
    code = "wrong_location"

    def __init__(self, scanned: str, location: str):
        super().__init__(f"Wrong location: you scanned {scanned}. Go to {location} and scan its label.")
        self.scanned, self.expected = scanned, location


class WrongItem(CountedRefusal):
    code = "wrong_item"

    def __init__(self, scanned: str, sku: str, location: str):
        super().__init__(f"Wrong item: you scanned {scanned}. Pick {sku} from {location} and scan it.")
        self.scanned, self.expected = scanned, sku


class TrackingRequired(DomainError):
    code = "tracking_required"

    def __init__(self, sku: str, missing: list[str]):
        super().__init__(f"{sku} is tracked: scan the GS1 label with the {' and '.join(missing)}, then confirm.")
        self.missing = missing


class OneSerialPerPick(DomainError):
    code = "too_many"

    def __init__(self, sku: str):
        super().__init__(f"Each {sku} has its own serial number: confirm 1 at a time, scanning each label.")


class ScanLocationFirst(DomainError):
    code = "scan_location_first"

    def __init__(self, location: str):
        super().__init__(f"Scan the label of location {location} before scanning the item.")


class TooMany(DomainError):
    code = "too_many"

    def __init__(self, remaining: int):
        super().__init__(f"Too many: only {remaining} left to pick on this task. Enter {remaining} or fewer.")


class NotEnoughStock(DomainError):
    code = "not_enough_stock"

    def __init__(self, on_hand: int, sku: str, location: str):
        super().__init__(f"Only {on_hand} of {sku} recorded at {location}. "
                         "Pick what is there and report a short pick for the rest.")


class TaskClosed(DomainError):
    code = "task_closed"

    def __init__(self, task_id: str, status: str):
        super().__init__(f"Task {task_id} is already {status}. Press Next task for your next pick.")


class NotYourTask(DomainError):
    code = "not_your_task"

    def __init__(self, task_id: str):
        super().__init__(f"Task {task_id} is not assigned to you. Press Next task to get your own task.")


class UnknownTask(DomainError):
    code = "unknown_task"

    def __init__(self, task_id: str):
        super().__init__(f"No task {task_id} at this site. Press Next task to get your current task.")


class UnknownOrder(DomainError):
    code = "unknown_order"

    def __init__(self, order_id: str):
        super().__init__(f"No order {order_id} at this site. Check the order number and try again.")


class OrderNotPicked(DomainError):
    code = "order_not_picked"

    def __init__(self, order_id: str, status: str):
        super().__init__(f"Order {order_id} is {status}, not picked yet. Finish its picks before closing a carton.")


class NothingToPack(DomainError):
    code = "nothing_to_pack"

    def __init__(self, order_id: str):
        super().__init__(f"Nothing was picked for order {order_id}, so there is nothing to pack. Ask your site lead.")


class NotInOrder(DomainError):
    code = "not_in_order"

    def __init__(self, scanned: str, order_id: str):
        super().__init__(f"{scanned} is not picked for order {order_id}, or is already packed. "
                         "Take it out of the carton and put it aside for your lead.")
        self.scanned = scanned


class TooManyToPack(DomainError):
    code = "too_many_to_pack"

    def __init__(self, sku: str, left: int, order_id: str):
        super().__init__(f"Only {left} of {sku} are left to pack for order {order_id}. "
                         f"Take the extra out of the carton and scan {left} or fewer.")


class NotInShipment(DomainError):
    code = "not_in_shipment"

    def __init__(self, scanned: str, order_id: str):
        super().__init__(f"Carton {scanned} is not a carton of order {order_id}. Take it off the dock and "
                         "scan only this order's cartons.")
        self.scanned = scanned


class CartonsMissing(DomainError):
    code = "cartons_missing"

    def __init__(self, order_id: str, missing: list[str]):
        super().__init__(f"Order {order_id} is not all loaded: scan carton {', '.join(missing)} too, "
                         "then confirm again.")
        self.missing = missing


class OrderNotPacked(DomainError):
    code = "order_not_packed"

    def __init__(self, order_id: str, status: str):
        super().__init__(f"Order {order_id} is {status}, not packed. Close its carton before confirming shipment.")


class OrderClosed(DomainError):
    code = "order_closed"

    def __init__(self, order_id: str, status: str):
        super().__init__(f"Order {order_id} is already {status} and cannot change.")


class SignInFailed(DomainError):
    code = "sign_in_failed"

    def __init__(self):
        super().__init__("Badge or PIN not recognised. Scan your badge again and re-enter your PIN.")


class SiteMismatch(DomainError):
    code = "site_mismatch"

    def __init__(self, expected: str, given: str):
        super().__init__(f"This database belongs to site {expected}, not {given}. Use the right --db or --site.")


class EnrolmentCodeRefused(DomainError):
    code = "enrolment_code_refused"

    def __init__(self):
        super().__init__("This enrolment code is wrong, already used or expired. Ask your site lead for a new code.")


class DeviceNotEnrolled(DomainError):
    code = "device_not_enrolled"

    def __init__(self):
        super().__init__("This handheld is not enrolled at this site. Enrol it with a code from your site lead.")


class DeviceRevoked(DomainError):
    code = "device_revoked"

    def __init__(self, device_id: str):
        super().__init__(f"Handheld {device_id} was withdrawn by the site lead. Hand it in and take another one.")


class DeviceOfOtherSite(DomainError):
    code = "device_wrong_site"

    def __init__(self, device_site: str, site: str):
        super().__init__(f"This handheld is enrolled at site {device_site}, not {site}. "
                         "Use a handheld of this site, or enrol this one here with a code from your site lead.")


class DeviceMismatch(DomainError):
    code = "device_mismatch"

    def __init__(self):
        super().__init__("This session was opened on another handheld. Sign in again on this one.")


class UnknownDevice(DomainError):
    code = "unknown_device"

    def __init__(self, device_id: str):
        super().__init__(f"No handheld {device_id} is enrolled at this site. Check the device id.")


class LeaseLost(DomainError):
    code = "lease_lost"

    def __init__(self, task_id: str):
        super().__init__(f"Task {task_id} was handed to another picker while this handheld was away. "
                         "Put the items back and take your next task.")


class LabelsUnavailable(DomainError):
    code = "labels_unavailable"

    def __init__(self, problem: str):
        super().__init__(f"The carton's shipping label cannot be made: {problem} The carton was not closed; "
                         "call your lead.")
