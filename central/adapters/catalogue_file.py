"""Read a catalogue file ({"sites": [...], "items": [...]}) into a seed command."""
import json

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from central.service.commands import RegisterSite, SeedMasterData, UpsertItem
from protocols.messages.central_commands import ItemV1Schema
from protocols.messages.envelope import SITE_ID


class _SiteEntrySchema(Schema):
    class Meta:
        unknown = RAISE

    site_id = fields.String(required=True, validate=SITE_ID)
    name = fields.String(required=True, validate=validate.Length(min=1, max=128))


class CatalogueFileSchema(Schema):
    class Meta:
        unknown = RAISE

    sites = fields.List(fields.Nested(_SiteEntrySchema), load_default=list)
    items = fields.List(fields.Nested(ItemV1Schema), load_default=list)


def load_catalogue(path: str) -> SeedMasterData:
    """Parse and validate a catalogue file; raise ValueError saying what to fix."""
    try:
        with open(path, encoding="utf-8") as handle:
            raw = json.load(handle)
    except OSError as err:
        raise ValueError(f"cannot read {path}: {err.strerror}") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"{path} is not valid JSON: {err}") from None
    try:
        data = CatalogueFileSchema().load(raw)
    except ValidationError as err:
        raise ValueError(f"{path} has invalid entries: {err.messages}") from None
    return SeedMasterData(
        sites=[RegisterSite(site["site_id"], site["name"]) for site in data["sites"]],
        items=[UpsertItem(item["sku"], item["description"], tuple(item["gtins"]), item["tracking"]) for item in data["items"]])
