"""Who may use the site lead's dashboard and what each role may do; no I/O."""
import re
from dataclasses import dataclass

PICKER, LEAD, INTEGRATOR, ADMIN = "picker", "lead", "integrator", "admin"
ROLES = (PICKER, LEAD, INTEGRATOR, ADMIN)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
MIN_PASSWORD_LENGTH = 10
MAX_FAILED_LOGINS = 5
LOCKOUT_MINUTES = 5

# What each area of the dashboard needs; an admin may do everything.
AREA_ROLES = {
    "floor": (LEAD, ADMIN),          # floor view, exceptions and their actions, KPIs, people
    "devices": (LEAD, INTEGRATOR, ADMIN),  # printers, scanners, print jobs, enrolment codes
    "sync": (LEAD, INTEGRATOR, ADMIN),     # sync health, dead letters
    "users": (ADMIN,),
    "own_work": ROLES,               # a picker's own numbers
}


class StaffError(ValueError):
    """Refuse a staff account change; str(err) says what to fix."""


@dataclass(frozen=True)
class Staff:
    """A dashboard login as stored (the password hash never leaves the adapter layer)."""

    username: str
    display_name: str
    role: str
    active: bool = True

    def may(self, area: str) -> bool:
        """Say whether this login may open an area of the dashboard."""
        return self.active and (self.role == ADMIN or self.role in AREA_ROLES.get(area, ()))


def check_new_staff(username: str, role: str, password: str) -> None:
    """Raise StaffError when a new login's name, role or password is not acceptable."""
    if not USERNAME.match(username):
        raise StaffError(f"User name {username!r} is not valid: use 2-40 lower-case letters, digits, '.', '_' or '-'.")
    if role not in ROLES:
        raise StaffError(f"Role {role!r} is not known: choose one of {', '.join(ROLES)}.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"The password is too short: use at least {MIN_PASSWORD_LENGTH} characters.")
