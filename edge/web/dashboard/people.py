"""People & devices: pickers at work with their numbers, handhelds, enrolment codes; printers link to their page."""
from datetime import timedelta

from flask import render_template

from edge.adapters import floor_queries, kpi_queries
from edge.domain.lead_actions import ReasonRequired, check_reason
from edge.service.commands import CreateEnrolmentCode, RevokeDevice
from edge.service.outcomes import status_for

from ..staff_auth import current_staff, staff_required, wants_json
from . import dashboard
from .floor import IDLE_MINUTES
from .reads import actor, form, now, reading, run_action, services

SHIFT_HOURS = 8
CODE_MINUTES = 60


def render_people(error: str = "", code: dict | None = None):
    moment, staff = now(), current_staff()
    with reading() as conn:
        # An integrator looks after the devices; the pickers' numbers are for leads.
        at_work = floor_queries.pickers_at_work(conn, moment, IDLE_MINUTES) if staff.may("floor") else None
        numbers = {p["badge"]: p for p in kpi_queries.per_picker(conn, moment - timedelta(hours=SHIFT_HOURS), moment)}
        devices = floor_queries.handhelds(conn)
        open_codes = floor_queries.open_enrolment_codes(conn, moment)
    return render_template("people.html", pickers=at_work, numbers=numbers, devices=devices, open_codes=open_codes,
                           code=code, error=error, shift_hours=SHIFT_HOURS, may_manage=staff.may("devices"),
                           code_minutes=CODE_MINUTES)


@dashboard.get("/people")
@staff_required("devices")
def people():
    """Show who is picking, how fast and how accurately, and the site's handhelds."""
    return render_people()


@dashboard.post("/people/enrolment-codes")
@staff_required("devices")
def mint_enrolment_code():
    """Mint a single-use enrolment code and show it once."""
    answer = services().bus.handle(CreateEnrolmentCode(CODE_MINUTES, actor=actor()))
    if wants_json():
        return answer, 201
    return render_people(code=answer), 201


@dashboard.post("/people/devices/<device_id>/revoke")
@staff_required("devices")
def revoke_device(device_id: str):
    """Take a handheld off the site: its token and sessions stop working."""
    try:
        reason = check_reason(form("reason"))
    except ReasonRequired as err:
        if wants_json():
            raise
        return render_people(error=err.message), status_for(err)
    return run_action(RevokeDevice(device_id, actor=actor(), reason=reason), "dashboard.people", render_people)
