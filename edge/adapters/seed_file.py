"""Read a site seed file (locations, pickers, counted stock) and check it before anything is written."""
import json

from marshmallow import RAISE, Schema, ValidationError, fields, validate

CODE = validate.Length(min=1, max=64)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class SeedLocationSchema(_Strict):
    location = fields.String(required=True, validate=CODE)
    barcode = fields.String(required=True, validate=CODE)
    zone = fields.String(load_default="", validate=validate.Length(max=32))
    pick_seq = fields.Integer(required=True, strict=True)


class SeedPickerSchema(_Strict):
    badge = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=128))
    pin = fields.String(required=True, validate=validate.Length(min=4, max=32))


class SeedStockSchema(_Strict):
    location = fields.String(required=True, validate=CODE)
    sku = fields.String(required=True, validate=CODE)
    qty = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))


class SeedPickFaceSchema(_Strict):
    location = fields.String(required=True, validate=CODE)
    sku = fields.String(required=True, validate=CODE)
    min = fields.Integer(required=True, strict=True, validate=validate.Range(min=0))
    max = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))


class SeedFileSchema(_Strict):
    site_id = fields.String(required=True, validate=CODE)
    locations = fields.List(fields.Nested(SeedLocationSchema), load_default=list)
    pickers = fields.List(fields.Nested(SeedPickerSchema), load_default=list)
    stock = fields.List(fields.Nested(SeedStockSchema), load_default=list)
    pick_faces = fields.List(fields.Nested(SeedPickFaceSchema), load_default=list)  # min/max for replenishment


class SeedFileError(ValueError):
    """Raise when a seed file cannot be read or does not match the expected shape."""


def load_seed_file(path: str) -> dict:
    """Return the seed file's content, validated; raise SeedFileError naming what is wrong."""
    try:
        with open(path, encoding="utf-8") as handle:
            return SeedFileSchema().load(json.load(handle))
    except (OSError, json.JSONDecodeError) as err:
        raise SeedFileError(f"cannot read seed file {path}: {err}") from None
    except ValidationError as err:
        raise SeedFileError(f"seed file {path} is not valid: {err.messages}") from None
