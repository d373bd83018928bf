"""Read an order CSV (one row per order line) into orders grouped by external order id, with row errors.

Columns (header row required, names case-insensitive, order free):
  external_order_id, customer, requested_ship_date (YYYY-MM-DD), sku, qty       required
  priority (1-9 or urgent/high/normal/low, default 5), allow_split (yes/no), hold_reason   optional
Order-level columns must agree on every row of an order.
"""
import csv
import io
from dataclasses import dataclass, field
from datetime import date

from central.service.commands import CreateOrder, OrderLineRequest
from central.service.order_imports import RowError

REQUIRED = ("external_order_id", "customer", "requested_ship_date", "sku", "qty")
OPTIONAL = ("priority", "allow_split", "hold_reason")
ORDER_LEVEL = ("customer", "requested_ship_date", "priority", "allow_split", "hold_reason")
PRIORITY_NAMES = {"urgent": 1, "high": 3, "normal": 5, "low": 7}
YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0", ""}
MAX_ROWS = 50_000


class BadOrderFile(ValueError):
    """Raise when the file as a whole cannot be read as an order CSV (nothing is imported)."""


@dataclass
class OrderGroup:
    """The rows of one external order id: a command when every row is valid, else the row errors."""

    external_id: str
    rows: list[int] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    lines: list[OrderLineRequest] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def command(self, operator: str) -> CreateOrder:
        return CreateOrder(customer=self.values["customer"], requested_ship_date=self.values["requested_ship_date"],
                           lines=self.lines, priority=self.values["priority"], external_ref=self.external_id,
                           allow_split=self.values["allow_split"], hold_reason=self.values["hold_reason"],
                           operator=operator)


def parse_order_csv(text: str) -> tuple[int, list[OrderGroup]]:
    """Return (data rows, order groups in first-seen order); raise BadOrderFile for an unreadable file."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise BadOrderFile("The file is empty; send a header row and one row per order line.") from None
    except csv.Error as err:
        raise BadOrderFile(f"The file is not valid CSV ({err}).") from None
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise BadOrderFile(f"Missing column(s) {', '.join(missing)}; the header must name "
                           f"{', '.join(REQUIRED)} (optional: {', '.join(OPTIONAL)}).")
    groups: dict[str, OrderGroup] = {}
    count = 0
    try:
        for row_no, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines are not rows
            count += 1
            if count > MAX_ROWS:
                raise BadOrderFile(f"The file has more than {MAX_ROWS} rows; split it into several files.")
            _add_row(groups, row_no, dict(zip(header, (cell.strip() for cell in cells))), len(cells) > len(header))
    except csv.Error as err:
        raise BadOrderFile(f"The file is not valid CSV ({err}).") from None
    if not count:
        raise BadOrderFile("The file has a header but no rows; add one row per order line.")
    return count, list(groups.values())


def _add_row(groups: dict[str, OrderGroup], row_no: int, row: dict, too_many_cells: bool) -> None:
    external_id = row.get("external_order_id", "")
    group = groups.setdefault(external_id, OrderGroup(external_id))
    group.rows.append(row_no)
    group.skus.append(row.get("sku", ""))

    def fault(name: str, message: str) -> None:
        group.errors.append(RowError(row_no, external_id, name, message))

    if too_many_cells:
        fault("", "The row has more cells than the header; quote values that contain commas.")
    if not external_id or len(external_id) > 64:
        fault("external_order_id", "Give the external order id (1 to 64 characters).")
    values = _order_values(row, fault)
    sku = row.get("sku", "")
    if not sku or len(sku) > 64:
        fault("sku", "Give the sku (1 to 64 characters).")
    qty = _quantity(row.get("qty", ""), fault)
    if group.values:
        for name in ORDER_LEVEL:
            if name in values and values[name] != group.values.get(name):
                fault(name, f"{name} differs from row {group.rows[0]} of order {external_id}; "
                            "use the same value on every row of an order.")
    elif len(values) == len(ORDER_LEVEL):
        group.values = values
    if qty is not None and sku:
        group.lines.append(OrderLineRequest(sku, qty))


def _order_values(row: dict, fault) -> dict:
    values = {}
    customer = row.get("customer", "")
    if customer and len(customer) <= 128:
        values["customer"] = customer
    else:
        fault("customer", "Give the customer's name (1 to 128 characters).")
    shipped = row.get("requested_ship_date", "")
    try:
        if len(shipped) != 10:
            raise ValueError
        values["requested_ship_date"] = date.fromisoformat(shipped).isoformat()
    except ValueError:
        fault("requested_ship_date", f"Bad date {shipped!r}: use a real date as YYYY-MM-DD.")
    priority = row.get("priority", "").lower()
    if priority in PRIORITY_NAMES or priority == "":
        values["priority"] = PRIORITY_NAMES.get(priority, 5)
    elif priority.isdigit() and 1 <= int(priority) <= 9:
        values["priority"] = int(priority)
    else:
        fault("priority", f"Unknown priority {priority!r}: use 1 (most urgent) to 9, or urgent, high, normal, low.")
    split = row.get("allow_split", "").lower()
    if split in YES | NO:
        values["allow_split"] = split in YES
    else:
        fault("allow_split", f"allow_split {split!r} is not yes or no.")
    hold = row.get("hold_reason", "")
    if len(hold) <= 256:
        values["hold_reason"] = hold or None
    else:
        fault("hold_reason", "Keep the hold reason to 256 characters.")
    return values


def _quantity(raw: str, fault) -> int | None:
    if raw.isdigit() and 1 <= int(raw) <= 1_000_000:
        return int(raw)
    fault("qty", f"Bad quantity {raw!r}: use a whole number from 1 to 1000000.")
    return None
