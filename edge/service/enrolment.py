"""Handlers for handheld enrolment: mint a code, enrol a device with it, revoke a device."""
import secrets

from edge.domain.catalogue import token_digest
from edge.domain.enrolment import (CODE_ALPHABET, CODE_LENGTH, Device, EnrolmentCode, minutes_later,
                                   normalise_code)
from edge.domain.errors import EnrolmentCodeRefused, UnknownDevice

from .commands import CreateEnrolmentCode, EnrolDevice, RevokeDevice
from .unit_of_work import UnitOfWork


def create_enrolment_code(cmd: CreateEnrolmentCode, uow: UnitOfWork) -> dict:
    """Store the hash of a new single-use code and return the code itself, once."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    with uow:
        now = uow.now()
        expires_at = minutes_later(now, cmd.minutes)
        uow.enrolment_codes.save(EnrolmentCode(token_digest(code), now, expires_at))
        if cmd.actor:
            uow.audit.record(cmd.actor, "enrolment_code.created", "enrolment_code", "", {"expires_at": expires_at})
        uow.commit()
    half = CODE_LENGTH // 2
    return {"enrolment_code": f"{code[:half]}-{code[half:]}", "site_id": uow.site_id, "expires_at": expires_at}


def enrol_device(cmd: EnrolDevice, uow: UnitOfWork) -> dict:
    """Spend an enrolment code for a device and give it a token; a re-enrolled device's old token stops working."""
    with uow:
        code = uow.enrolment_codes.get(token_digest(normalise_code(cmd.enrolment_code)))
        if code is None:
            raise EnrolmentCodeRefused()
        now = uow.now()
        code.redeem(cmd.device_id, now)
        token = f"{uow.site_id}.{secrets.token_urlsafe(32)}"
        uow.enrolment_codes.save(code)
        uow.devices.end_sessions(cmd.device_id)
        uow.devices.save(Device(cmd.device_id, token_digest(token), now))
        uow.commit()
    return {"device_token": token, "site_id": uow.site_id, "device_id": cmd.device_id}


def revoke_device(cmd: RevokeDevice, uow: UnitOfWork) -> dict:
    """Withdraw a device: its token and its pickers' sessions stop working at once."""
    with uow:
        device = uow.devices.get(cmd.device_id)
        if device is None:
            raise UnknownDevice(cmd.device_id)
        changed = device.revoke(uow.now())
        uow.devices.save(device)
        uow.devices.end_sessions(cmd.device_id)
        if cmd.actor:
            uow.audit.record(cmd.actor, "device.revoked", f"device:{device.device_id}", cmd.reason)
        uow.commit()
    return {"device_id": device.device_id, "revoked_at": device.revoked_at, "changed": changed}
