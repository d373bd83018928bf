"""Receiving: goods arrive against an advance shipping notice (ASN) or blind, and land at the receiving dock.

A receipt is worked by scanning a whole inbound pallet (its SSCC, as listed on the ASN) or by scanning items
and counting them. Closing the receipt compares what arrived with what the ASN promised: every difference
(over, short, damaged) becomes a discrepancy the site lead sees as an exception.
"""
from dataclasses import asdict, dataclass, field
from typing import ClassVar

from .errors import DomainError
from .events import Event

RECEIVING_DOCK = "RECV"
"""Received goods wait at this virtual location until they are put away."""
QUARANTINE = "QUAR"
"""Goods received damaged wait here for the site lead; they get no putaway task."""
OK, DAMAGED = "ok", "damaged"
CONDITIONS = (OK, DAMAGED)
OVER, SHORT = "over", "short"
RECEIPT_OPEN, RECEIPT_CLOSED = "open", "closed"


class ReceiptClosed(DomainError):
    code = "receipt_closed"

    def __init__(self, receipt_id: str):
        super().__init__(f"Receipt {receipt_id} is already closed. Start a new receipt for more goods.")


class UnknownPallet(DomainError):
    code = "unknown_pallet"

    def __init__(self, sscc: str, receipt_id: str):
        super().__init__(f"Pallet {sscc} is not on ASN {receipt_id}. Scan the items on it one by one instead.")


class PalletAlreadyReceived(DomainError):
    code = "pallet_already_received"

    def __init__(self, sscc: str):
        super().__init__(f"Pallet {sscc} was already received. Scan the next pallet.")


class PalletNeedsItemScans(DomainError):
    code = "tracking_required"

    def __init__(self, sscc: str, sku: str):
        super().__init__(f"Pallet {sscc} holds {sku}, which is lot-tracked, and the ASN lacks its lot or expiry: "
                         "scan the GS1 label of each case instead.")


class OverReceiptNeedsReason(DomainError):
    code = "over_receipt_needs_reason"

    def __init__(self, sku: str, expected: int, total: int, receipt_id: str):
        what = (f"{sku} is not on ASN {receipt_id}" if expected == 0
                else f"Only {expected} x {sku} are expected on ASN {receipt_id}")
        super().__init__(f"{what}; this would make {total}. Count again; if they really arrived, "
                         "choose a reason and confirm.")


@dataclass(frozen=True)
class ExpectedLine:
    line_no: int
    sku: str
    qty: int
    lot: str = ""
    expiry: str = ""
    sscc: str = ""


@dataclass(frozen=True)
class ReceivedLine:
    sku: str
    qty: int
    lot: str = ""
    expiry: str = ""
    condition: str = OK
    sscc: str = ""
    reason: str = ""
    picker: str = ""

    @property
    def location(self) -> str:
        return QUARANTINE if self.condition == DAMAGED else RECEIVING_DOCK


@dataclass(frozen=True)
class Discrepancy:
    sku: str
    expected: int
    received: int
    kind: str


@dataclass(frozen=True)
class ReceiptRecorded(Event):
    TYPE: ClassVar[str] = "receipt.recorded"
    receipt_id: str
    asn_id: str
    supplier: str
    lines: list
    discrepancies: list
    picker: str


@dataclass
class Receipt:
    """One inbound delivery: the ASN's expected lines (none when blind) and every receipt scan so far."""

    receipt_id: str
    asn_id: str
    supplier: str
    expected: list[ExpectedLine] = field(default_factory=list)
    received: list[ReceivedLine] = field(default_factory=list)
    status: str = RECEIPT_OPEN
    over_tolerance_pct: int = 0
    created_at: str = ""
    closed_at: str = ""

    @property
    def blind(self) -> bool:
        return not self.asn_id

    def expected_qty(self, sku: str) -> int:
        return sum(line.qty for line in self.expected if line.sku == sku)

    def received_qty(self, sku: str, condition: str | None = None) -> int:
        return sum(line.qty for line in self.received
                   if line.sku == sku and (condition is None or line.condition == condition))

    def pallets(self) -> list[str]:
        return sorted({line.sscc for line in self.expected if line.sscc})

    def receive_pallet(self, sscc: str, picker: str, untraced: set[str]) -> list[ReceivedLine]:
        """Receive every ASN line on the pallet, as listed; skus whose lot/expiry the ASN lacks need item scans."""
        self._check_open()
        lines = [line for line in self.expected if line.sscc == sscc]
        if not lines:
            raise UnknownPallet(sscc, self.receipt_id)
        if any(line.sscc == sscc for line in self.received):
            raise PalletAlreadyReceived(sscc)
        for line in lines:
            if line.sku in untraced:
                raise PalletNeedsItemScans(sscc, line.sku)
        received = [ReceivedLine(line.sku, line.qty, line.lot, line.expiry, OK, sscc, "", picker) for line in lines]
        self.received.extend(received)
        return received

    def receive_items(self, line: ReceivedLine) -> ReceivedLine:
        """Count scanned items in; beyond the ASN's quantity plus its tolerance a reason is needed."""
        self._check_open()
        if not self.blind and not line.reason:
            expected = self.expected_qty(line.sku)
            total = self.received_qty(line.sku) + line.qty
            if total > expected + expected * self.over_tolerance_pct // 100:
                raise OverReceiptNeedsReason(line.sku, expected, total, self.receipt_id)
        self.received.append(line)
        return line

    def discrepancies(self) -> list[Discrepancy]:
        """Compare arrivals with the ASN per sku: over, short, and (blind too) damaged."""
        found = []
        skus = list(dict.fromkeys([line.sku for line in self.expected] + [line.sku for line in self.received]))
        for sku in skus:
            expected, received = self.expected_qty(sku), self.received_qty(sku)
            if not self.blind and received > expected:
                found.append(Discrepancy(sku, expected, received, OVER))
            if not self.blind and received < expected:
                found.append(Discrepancy(sku, expected, received, SHORT))
            damaged = self.received_qty(sku, DAMAGED)
            if damaged:
                found.append(Discrepancy(sku, expected, damaged, DAMAGED))
        return found

    def close(self, picker: str, now: str) -> ReceiptRecorded:
        """Close the receipt and report it (with its discrepancies) to the centre."""
        self._check_open()
        self.status, self.closed_at = RECEIPT_CLOSED, now
        return ReceiptRecorded(self.receipt_id, self.asn_id, self.supplier, self.summary(),
                               [asdict(d) for d in self.discrepancies()], picker)

    def summary(self) -> list[dict]:
        """Sum what arrived per (sku, lot, expiry, condition), in the order first received."""
        totals: dict[tuple, int] = {}
        for line in self.received:
            key = (line.sku, line.lot, line.expiry, line.condition)
            totals[key] = totals.get(key, 0) + line.qty
        return [{"sku": sku, "qty": qty, "lot": lot, "expiry": expiry, "condition": condition}
                for (sku, lot, expiry, condition), qty in totals.items()]

    def _check_open(self) -> None:
        if self.status != RECEIPT_OPEN:
            raise ReceiptClosed(self.receipt_id)
