"""Sign a picker in on a handheld."""
from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint

from edge.domain.errors import DeviceMismatch
from edge.service.commands import SignIn

from ..schemas import SignInV1Schema
from . import require_device, services

blp = Blueprint("sessions", __name__, description="Sign in with badge and PIN on an enrolled handheld")
blp.before_request(require_device)


@blp.route("/sessions")
class Sessions(MethodView):
    @blp.arguments(SignInV1Schema)
    @blp.response(201)
    def post(self, body):
        """Sign in: returns a bearer token for the other endpoints (send X-Device-Token too)."""
        if g.device is not None and body["device_id"] != g.device["device_id"]:
            raise DeviceMismatch()
        return services().bus.handle(SignIn(body["badge"], body["pin"], body["device_id"]))
