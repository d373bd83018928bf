"""Event ids that sort by creation time (UUID version 7, RFC 9562): new ids land at the end of an index.

A random (version 4) id puts each new outbox row's unique-index entry on a random page of that index, so every
event dirtied one more page for the commit to write and flush; a time-ordered id appends to the last page.
"""
import random
import time

_MS_MASK = (1 << 48) - 1


def new_event_id() -> str:
    """Return a new UUIDv7 string: 48-bit Unix milliseconds, version 7, variant 10, 74 random bits.

    The bits come from the random module (seeded from the OS, and again in every forked child): an id must be
    unique, not secret, and a system call per id was a measurable share of a pick's time in the command writer.
    """
    rand = random.getrandbits(74)
    value = ((time.time_ns() // 1_000_000) & _MS_MASK) << 80 | 0x7 << 76 | (rand >> 62 & 0xFFF) << 64 \
        | 0b10 << 62 | rand & ((1 << 62) - 1)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
