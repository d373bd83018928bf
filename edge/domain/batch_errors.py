"""Refusals of waves and pick batches, each with a machine code and operator text that says what to do."""
from .errors import DomainError


class UnknownBatch(DomainError):
    code = "unknown_batch"

    def __init__(self, batch_id: str):
        super().__init__(f"No batch {batch_id} at this site. Press Next batch to get your current batch.")


class BatchClosed(DomainError):
    code = "batch_closed"

    def __init__(self, batch_id: str, status: str):
        super().__init__(f"Batch {batch_id} is {status}. Press Next batch for more work.")


class BatchTaken(DomainError):
    code = "batch_taken"

    def __init__(self, batch_id: str, picker: str):
        holder = f"picker {picker}" if picker else "nobody yet"
        super().__init__(f"Batch {batch_id} is with {holder}, not you. Press Next batch to get your own.")


class NotInBatch(DomainError):
    code = "not_in_batch"

    def __init__(self, what: str, batch_id: str):
        super().__init__(f"{what} is not part of batch {batch_id}. Press Next batch to reload it.")


class BadTote(DomainError):
    code = "bad_tote"

    def __init__(self, scanned: str, slot: int):
        super().__init__(f"{scanned or 'That'} is not a tote label. Scan the label of the tote in slot {slot}.")


class WrongTote(DomainError):
    code = "wrong_tote"

    def __init__(self, scanned: str, expected: str, slot: int, order_id: str, other_slot: int = 0):
        if other_slot:
            text = (f"Tote {scanned} is in slot {other_slot}. Put order {order_id} in slot {slot}: "
                    f"scan the tote there.")
        else:
            text = f"Wrong tote {scanned}: order {order_id} goes in tote {expected} (slot {slot}). Scan that tote."
        super().__init__(text)


class ToteInUse(DomainError):
    code = "tote_in_use"

    def __init__(self, tote: str, batch_id: str):
        super().__init__(f"Tote {tote} is already in use by batch {batch_id}. Take an empty tote and scan it.")


class BatchNotDone(DomainError):
    code = "batch_not_done"

    def __init__(self, batch_id: str, left: int):
        super().__init__(f"Batch {batch_id} still has {left} pick(s) to do. Pick them or report them short, "
                         "then close the batch.")


class NothingToWave(DomainError):
    code = "nothing_to_wave"

    def __init__(self, detail: str):
        super().__init__(f"No order to put in a wave ({detail}). Change the rule or pick other orders.")


class NotWaveable(DomainError):
    code = "not_waveable"

    def __init__(self, order_ids: list[str]):
        shown = ", ".join(order_ids[:10]) + (" …" if len(order_ids) > 10 else "")
        super().__init__(f"Order(s) {shown} cannot join a wave: only released orders nobody has started, and in "
                         "no other batch, can. Untick them and release again.")


class BadCart(DomainError):
    code = "bad_cart"

    def __init__(self, cart_slots: int, most: int):
        super().__init__(f"A cart has 1 to {most} slots, not {cart_slots}. Enter the number of totes on the cart.")
