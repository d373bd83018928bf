"""Import many orders from a file: each order all-or-nothing in its own transaction, progress kept as it goes."""
from dataclasses import dataclass
from typing import Callable, Protocol

from central.domain.errors import DuplicateOrder, InvalidOrder, UnknownItem

PROGRESS_EVERY = 25  # orders between progress writes: often enough to watch, cheap enough not to double the work


@dataclass(frozen=True)
class RowError:
    row: int
    external_order_id: str
    field: str
    message: str


class ImportLog(Protocol):
    """Where an import's progress and row errors are kept (the API reads them back)."""

    def start(self, file_name: str, operator: str, rows_total: int, orders_total: int) -> str: ...

    def progress(self, import_id: str, rows_done: int, order_ids: list[str], refused: int,
                 errors: list[RowError], finished: bool) -> None: ...


class OrderGroupLike(Protocol):
    external_id: str
    rows: list[int]
    skus: list[str]
    errors: list[RowError]

    def command(self, operator: str): ...


@dataclass
class ImportOutcome:
    import_id: str
    rows_total: int
    order_ids: list[str]
    refused: int
    errors: list[RowError]


def import_orders(groups: list[OrderGroupLike], rows_total: int, handle: Callable, log: ImportLog,
                  file_name: str = "", operator: str = "",
                  on_progress: Callable[[int, int], None] = lambda done, total: None) -> ImportOutcome:
    """Create each valid order through the bus (one transaction each); record row errors for the others."""
    import_id = log.start(file_name, operator, rows_total, len(groups))
    order_ids: list[str] = []
    errors: list[RowError] = []
    pending: list[RowError] = []
    refused = rows_done = 0
    for n, group in enumerate(groups, start=1):
        faults = group.errors or _create(group, handle, operator, order_ids)
        if faults:
            refused += 1
            pending.extend(_with_siblings(group, faults))
        rows_done += len(group.rows)
        on_progress(rows_done, rows_total)
        if n % PROGRESS_EVERY == 0 or n == len(groups):
            log.progress(import_id, rows_done, order_ids, refused, pending, finished=n == len(groups))
            errors.extend(pending)
            pending = []
    return ImportOutcome(import_id, rows_total, order_ids, refused, errors)


def _create(group: OrderGroupLike, handle: Callable, operator: str, order_ids: list[str]) -> list[RowError]:
    """Create the group's order; return the row errors the centre's rules found (none if created)."""
    first, external = group.rows[0], group.external_id
    try:
        order_ids.append(handle(group.command(operator)))
        return []
    except DuplicateOrder as err:
        return [RowError(first, external, "external_order_id",
                         f"Duplicate external order id {external}: already imported as order {err.order_id}.")]
    except UnknownItem as err:
        return [RowError(row, external, "sku", f"Unknown item {sku}: create it with PUT /api/v1/items/{sku} "
                         "or correct the sku.") for row, sku in zip(group.rows, group.skus) if sku in err.skus]
    except InvalidOrder as err:
        faults = []
        for index, fault in (err.errors.get("lines") or {}).items():
            for name, messages in fault.items():
                faults.append(RowError(group.rows[index], external, name, " ".join(messages)))
        for name, messages in err.errors.items():
            if name != "lines":
                faults.append(RowError(first, external, name, " ".join(messages)))
        return faults or [RowError(first, external, "", str(err))]


def _with_siblings(group: OrderGroupLike, faults: list[RowError]) -> list[RowError]:
    """Add a note on every other row of a refused order, so each row of the file is accounted for."""
    faulty = {fault.row for fault in faults}
    notes = [RowError(row, group.external_id, "", f"Not imported: order {group.external_id} has errors on row(s) "
                      f"{', '.join(map(str, sorted(faulty)))}.") for row in group.rows if row not in faulty]
    return sorted(faults + notes, key=lambda fault: fault.row)
