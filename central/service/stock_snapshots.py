"""Keep a site's own stock export, to reconcile it with the centre's ledger."""
from central.domain.errors import UnknownSite

from .commands import RecordStockSnapshot
from .unit_of_work import UnitOfWork


def record_stock_snapshot(cmd: RecordStockSnapshot, uow: UnitOfWork) -> int:
    """Store the snapshot for a registered site; return its id."""
    with uow:
        if uow.sites.get(cmd.site_id) is None:
            raise UnknownSite(cmd.site_id)
        snapshot_id = uow.snapshots.add(cmd.site_id, cmd.taken_at, cmd.rows, uow.now)
        uow.commit()
    return snapshot_id
