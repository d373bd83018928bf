"""A dataclass's fields as a dict, as dataclasses.asdict gives them, without its deep copy for plain values."""
import functools
from dataclasses import asdict, fields

SCALARS = (str, int, float, bool, type(None))


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def field_values(obj) -> dict:
    """Return asdict(obj); when every field is a str, number, bool or None, skip asdict's recursive copy."""
    values = {name: getattr(obj, name) for name in _names(type(obj))}
    for value in values.values():  # a loop, not all(...): no generator per event on the hot path
        if type(value) not in SCALARS:
            return asdict(obj)  # lists, dicts, nested dataclasses: copied as asdict copies them
    return values
