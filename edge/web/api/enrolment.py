"""Enrol a handheld with the code the site lead gave out."""
from flask.views import MethodView
from flask_smorest import Blueprint

from edge.service.commands import EnrolDevice

from ..schemas import EnrolmentV1Schema
from . import services

blp = Blueprint("enrolment", __name__, description="Enrol a handheld at this site")


@blp.route("/devices")
class Devices(MethodView):
    @blp.arguments(EnrolmentV1Schema)
    @blp.response(201)
    def post(self, body):
        """Enrol: spend a single-use enrolment code; returns the device token to send as X-Device-Token."""
        return services().bus.handle(EnrolDevice(body["enrolment_code"], body["device_id"]))
