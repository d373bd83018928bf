"""The one error shape both HTTP APIs answer with, as documented in their OpenAPI specs."""
from marshmallow import Schema, fields


class ApiErrorV1Schema(Schema):
    code = fields.Integer(required=True, metadata={"description": "HTTP status code"})
    status = fields.String(required=True, metadata={"description": "HTTP status phrase"})
    error = fields.String(required=True, metadata={"description": "machine-readable reason, e.g. wrong_location"})
    message = fields.String(required=True, metadata={"description": "what went wrong and what to do next"})
    errors = fields.Raw(metadata={"description": "field errors, by field (or by list index)"})
