"""Order imports: a CSV file of order lines in, orders out, with progress and a per-row error report."""
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from central.adapters.order_csv import BadOrderFile, parse_order_csv
from central.adapters.sqlite_imports import SqliteImportLog, get_import
from central.service.order_imports import import_orders
from central.web.errors import ApiError
from central.web.runtime import read, services

blp = Blueprint("order_imports", __name__, url_prefix="/api/v1/orders/imports",
                description="Order imports from CSV files")
MAX_FILE_BYTES = 10 * 1024 * 1024
CSV_TYPES = ("text/csv", "text/plain", "application/csv")


class RowErrorSchema(Schema):
    row = fields.Integer(metadata={"description": "line number in the file (the header is line 1)"})
    external_order_id = fields.String()
    field = fields.String(metadata={"description": "the column at fault, empty for the whole row"})
    message = fields.String()


class OrderImportSchema(Schema):
    import_id = fields.String()
    file_name = fields.String()
    operator = fields.String()
    status = fields.String(metadata={"description": "running or done"})
    started_at = fields.String()
    finished_at = fields.String(allow_none=True)
    rows_total = fields.Integer()
    rows_done = fields.Integer()
    orders_total = fields.Integer()
    orders_imported = fields.Integer()
    orders_refused = fields.Integer()
    order_ids = fields.List(fields.String())
    errors = fields.List(fields.Nested(RowErrorSchema))


def _uploaded_text() -> tuple[str, str]:
    """Return (file name, text) from a text/csv body or a multipart field named file."""
    request.max_content_length = MAX_FILE_BYTES
    if request.mimetype == "multipart/form-data":
        upload = request.files.get("file")
        if upload is None:
            raise ApiError(422, "file_missing", "Send the CSV in a multipart field named file.")
        name, raw = upload.filename or "upload.csv", upload.read()
    elif request.mimetype in CSV_TYPES:
        name, raw = request.headers.get("X-File-Name", "upload.csv"), request.get_data()
    else:
        raise ApiError(415, "unsupported_media_type",
                       "Send the file as text/csv, or as multipart/form-data with a field named file.")
    try:
        return name, raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(422, "bad_csv", "The file is not UTF-8 text; save it as CSV UTF-8 and send it again.") from None


@blp.route("")
class OrderImports(MethodView):
    @blp.response(201, OrderImportSchema)
    def post(self):
        """Import orders from CSV (text/csv body, or multipart field file; see docs/central.md for the columns).

        Rows are grouped into orders by external_order_id. Each order is imported whole or not at all;
        good orders in the same file are imported. The answer is the finished import with its per-row
        error report; GET /api/v1/orders/imports/{id} shows it again (and its progress while it runs).
        The operator is taken from the X-Operator header."""
        name, text = _uploaded_text()
        try:
            rows, groups = parse_order_csv(text)
        except BadOrderFile as err:
            raise ApiError(422, "bad_csv", str(err)) from None
        app = services()
        outcome = import_orders(groups, rows, app.bus.handle, SqliteImportLog(app.db_path), file_name=name,
                                operator=request.headers.get("X-Operator", "").strip()[:64])
        return read(get_import, outcome.import_id)


@blp.route("/<import_id>")
class OrderImportById(MethodView):
    @blp.response(200, OrderImportSchema)
    def get(self, import_id):
        """Show an import's progress (rows done of total), the orders it made and its per-row errors."""
        report = read(get_import, import_id)
        if report is None:
            raise ApiError(404, "unknown_import", f"No import {import_id}; imports are named IMP-000001 and so on.")
        return report
