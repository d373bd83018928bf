"""Handlers of replenishment: min/max per pick face, tasks planned after picks and shorts, the mover's confirmation."""
from edge.domain.catalogue import Item, Location
from edge.domain.errors import DomainError
from edge.domain.replenishment import MoveScans, PickFace, Replenishment, choose_reserve, quantity_wanted
from protocols.barcode import BarcodeError, classify

from .count_commands import ConfirmReplenishment, SetPickFaces, TakeNextReplenishment
from .counts import book
from .idempotency import idempotent
from .unit_of_work import Origin, UnitOfWork


class UnknownReplenishment(DomainError):
    code = "unknown_replenishment"

    def __init__(self, replen_id: str):
        super().__init__(f"No replenishment {replen_id} at this site. Press Next to get your task.")


class UnknownFaceLocation(DomainError):
    code = "unknown_location"

    def __init__(self, location: str):
        super().__init__(f"{location} is not a location of this site. Check the location code.")


def set_pick_faces(cmd: SetPickFaces, uow: UnitOfWork) -> dict:
    """Set min and max of each listed pick face (location + sku); a face below its new min is replenished."""
    with uow:
        faces = [PickFace(*face) for face in cmd.faces]
        for face in faces:
            if uow.locations.get(face.location) is None:
                raise UnknownFaceLocation(face.location)
            changed = uow.pick_faces.get(face.location, face.sku) != face
            uow.pick_faces.save(face)
            if changed and cmd.actor:
                uow.audit.record(cmd.actor, "pick_face.set", f"pick_face:{face.location}/{face.sku}",
                                 "min/max set", {"min": face.min_qty, "max": face.max_qty})
        planned = [r.replen_id for f in faces if (r := plan_replenishment(uow, f.location, f.sku)) is not None]
        uow.commit()
    return {"pick_faces": [face_view(f) for f in faces], "replenishments": planned,
            "message": f"{len(faces)} pick face(s) saved."}


def plan_replenishment(uow: UnitOfWork, location: str, sku: str, short: bool = False) -> Replenishment | None:
    """Open a replenishment of the face from the reserve that expires first, when it is low or was found short.

    Runs inside the caller's unit of work (a pick, a short pick, a min/max change). No task when the location is
    not a pick face of the sku, one is already open there, or no reserve holds the sku.
    """
    face = uow.pick_faces.get(location, sku)
    if face is None or uow.replenishments.live_for_face(location, sku) is not None:
        return None
    wanted = quantity_wanted(face, uow.quants.on_hand(location, sku), short)
    source = choose_reserve(uow.replenishments.reserves(sku)) if wanted > 0 else None
    if source is None:
        return None
    replen = Replenishment(uow.replenishments.next_id(), sku, source.location, source.lot, location,
                           min(wanted, source.qty), "short_pick" if short else "below_min", created_at=uow.now())
    uow.replenishments.add(replen)
    return replen


def take_next_replenishment(cmd: TakeNextReplenishment, uow: UnitOfWork) -> dict:
    """Hand the mover their replenishment, else the oldest open one."""
    with uow:
        replen = uow.replenishments.next_for(cmd.badge)
        if replen is None:
            return {"replenishment": None, "message": "No replenishments waiting. Check again later."}
        replen.hand_to(cmd.badge, cmd.device_id)
        uow.replenishments.save(replen)
        uow.commit()
        view = replenishment_view(uow, replen)
    return {"replenishment": view,
            "message": f"Take {replen.qty} x {replen.sku} from {replen.from_location} to {replen.to_location}."}


@idempotent()
def confirm_replenishment(cmd: ConfirmReplenishment, uow: UnitOfWork) -> dict:
    """Move the stock from reserve to the pick face; the picks waiting for the face are released."""
    replen = uow.replenishments.get(cmd.replen_id)
    if replen is None:
        raise UnknownReplenishment(cmd.replen_id)
    try:
        scan = classify(cmd.item_barcode)
        scanned_lot, gtin = scan.lot or "", (scan.gs1 or {}).get("01")
    except BarcodeError:
        scanned_lot, gtin = "", None  # not a GS1 label: matched as the sku or a GTIN below
    item = uow.items.get(replen.sku) or Item(replen.sku)
    events = replen.confirm(cmd.badge, cmd.lease_epoch,
                            MoveScans(cmd.from_barcode, gtin or cmd.item_barcode, cmd.qty, cmd.to_barcode, scanned_lot),
                            item, _barcode(uow, replen.from_location), _barcode(uow, replen.to_location),
                            uow.quants.on_hand(replen.from_location, replen.sku, replen.lot), uow.now())
    book(uow, events, Origin(cmd.device_id, cmd.op_id))
    uow.replenishments.save(replen)
    return {"replenishment": replenishment_view(uow, replen),
            "message": f"{replen.moved_qty} x {replen.sku} moved to {replen.to_location}. Press Next."}


def face_view(face: PickFace) -> dict:
    return {"location": face.location, "sku": face.sku, "min": face.min_qty, "max": face.max_qty}


def replenishment_view(uow: UnitOfWork, replen: Replenishment) -> dict:
    """Describe a replenishment with what the handheld needs to check the four scans itself."""
    item = uow.items.get(replen.sku) or Item(replen.sku)
    return {"replen_id": replen.replen_id, "sku": replen.sku, "description": item.description,
            "item_barcodes": item.barcodes(), "lot": replen.lot, "qty": replen.qty,
            "from_location": replen.from_location, "from_barcode": _barcode(uow, replen.from_location),
            "to_location": replen.to_location, "to_barcode": _barcode(uow, replen.to_location),
            "status": replen.status, "moved_qty": replen.moved_qty, "lease_epoch": replen.lease_epoch,
            "trigger": replen.trigger}


def _barcode(uow: UnitOfWork, location: str) -> str:
    found: Location | None = uow.locations.get(location)
    return found.barcode if found else location
