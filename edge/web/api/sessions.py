"""Sign a picker in on a handheld."""
from flask.views import MethodView
from flask_smorest import Blueprint

from edge.service.commands import SignIn

from ..schemas import SignInV1Schema
from . import services

blp = Blueprint("sessions", __name__, description="Sign in with badge and PIN")


@blp.route("/sessions")
class Sessions(MethodView):
    @blp.arguments(SignInV1Schema)
    @blp.response(201)
    def post(self, body):
        """Sign in: returns a bearer token for the other endpoints."""
        return services().bus.handle(SignIn(body["badge"], body["pin"], body["device_id"]))
