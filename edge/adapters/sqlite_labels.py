"""The labels port over the edge DB: SSCC and print job written in the unit of work's own transaction."""
from datetime import datetime

from sqlite_utils import Database

from edge.devices import print_queue
from edge.devices.registry import DeviceConfig, PrinterConfig
from edge.domain.errors import LabelsUnavailable
from edge.domain.orders import Carton, Order
from edge.service.unit_of_work import ItemRepository
from protocols.labels import Address, CartonContent, LabelError, LogisticLabel, is_valid_gs1_number, logistic_label

PACK_STATION = "PACK"
LOGISTIC = "logistic"


def pack_printer(devices: DeviceConfig) -> PrinterConfig | None:
    """Return the first printer of the packing station, in config file order, or None."""
    return next((p for p in devices.printers.values() if p.station == PACK_STATION), None)


class SqliteCartonLabels:
    """Issue the next SSCC of the site's series and queue the GS1 logistic label on the packing printer."""

    def __init__(self, db: Database, devices: DeviceConfig | None, items: ItemRepository):
        self.db, self.devices, self.items = db, devices, items

    def label_carton(self, carton: Carton, order: Order) -> str:
        """Issue the carton's SSCC and queue its label; return the SSCC, or "" when the site issues none."""
        if self.devices is None or self.devices.sscc is None:
            return ""
        try:
            sscc = print_queue.issue_sscc(self.db, self.devices.sscc)
            printer = pack_printer(self.devices)
            if printer is not None:
                label = LogisticLabel(sscc, Address(f"WES {self.devices.site_id}"), Address(order.customer),
                                      order.order_id, "1/1", tuple(self._contents(carton)))
                zpl = logistic_label(label, printer.resolution, printer.size)
                queued_at = datetime.fromisoformat(carton.closed_at)
                print_queue.enqueue_job(self.db, printer.name, LOGISTIC, zpl, queued_at, ref=carton.carton_id,
                                        sscc=sscc)
        except LabelError as err:
            raise LabelsUnavailable(str(err)) from None
        return sscc

    def _contents(self, carton: Carton) -> list[CartonContent]:
        contents = []
        for line in carton.lines:
            item = self.items.get(line["sku"])
            gtins = [g.zfill(14) for g in (item.gtins if item else [])
                     if g.isascii() and g.isdigit() and 8 <= len(g) <= 14]
            # An unusable GTIN only drops the content barcode; the SSCC label must still print.
            gtin = next((g for g in gtins if is_valid_gs1_number(g)), "")
            contents.append(CartonContent(line["sku"], line["qty"], gtin))
        return contents
