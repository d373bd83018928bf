"""Check flat JSON data against a marshmallow schema cheaply when it is plainly valid, else let the schema judge.

Loading through marshmallow costs far more than the few type and length tests a flat event needs. A plain check
is built once per schema from its fields (strings, strict integers, and their Length/OneOf/Range/Regexp rules);
it says yes only to data the schema would accept. Anything else, or a schema it cannot mirror, goes to the
schema, which gives its usual answer.
"""
import functools
from typing import Callable

from marshmallow import Schema, fields, validate

PlainCheck = Callable[[dict], bool]


def _rule(validator) -> Callable[[object], bool] | None:
    if isinstance(validator, validate.Length) and validator.equal is None:
        low, high = validator.min, validator.max
        return lambda v: (low is None or len(v) >= low) and (high is None or len(v) <= high)
    if isinstance(validator, validate.OneOf):
        choices = frozenset(validator.choices)
        return lambda v: v in choices
    if isinstance(validator, validate.Range):
        low, high, low_in, high_in = validator.min, validator.max, validator.min_inclusive, validator.max_inclusive
        return lambda v: ((low is None or (v >= low if low_in else v > low))
                          and (high is None or (v <= high if high_in else v < high)))
    if isinstance(validator, validate.Regexp):
        return lambda v: validator.regex.match(v) is not None
    return None


@functools.cache
def plain_check(schema: type[Schema]) -> PlainCheck | None:
    """Return a check mirroring the schema, or None when the schema has a field it cannot mirror."""
    specs = []
    for name, field in schema().load_fields.items():
        if field.data_key not in (None, name) or field.allow_none:
            return None
        if type(field) is fields.String:
            kind = str
        elif type(field) is fields.Integer and field.strict:
            kind = int  # type() is int, not isinstance: a JSON true is not a number
        else:
            return None
        rules = [_rule(v) for v in field.validators]
        if None in rules:
            return None
        specs.append((name, field.required, kind, tuple(rules)))
    names = frozenset(name for name, *_ in specs)

    def check(data: dict) -> bool:
        if type(data) is not dict or not data.keys() <= names:
            return False
        for name, required, kind, rules in specs:
            if name not in data:
                if required:
                    return False
                continue
            value = data[name]
            if type(value) is not kind:
                return False
            for rule in rules:  # a loop, not all(...): no generator per field on the hot path
                if not rule(value):
                    return False
        return True
    return check
