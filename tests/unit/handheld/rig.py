"""Wire the handheld presenters to a fake edge, a real device SQLite file and inline background work."""
from handheld.local_store import LocalStore
from handheld.presenters.pack import PackPresenter
from handheld.presenters.pick import PickPresenter
from handheld.presenters.ports import run_inline
from handheld.presenters.signin import SignInPresenter
from handheld.presenters.status import StatusPresenter
from handheld.sync_loop import SyncLoop

NOW = "2025-03-03T09:00:00+00:00"


class Rig:
    """One handheld: open (or reopen, after a 'restart') the device database at db_path."""

    def __init__(self, db_path: str, edge):
        self.edge = edge
        self.store = LocalStore(db_path)
        self.sync = SyncLoop(self.store, edge, now=lambda: NOW)
        self.views, self.signed_in, self.signed_out, self.withdrawn = [], [], 0, []
        self.status = StatusPresenter(self.store, self.sync, self.views.append)
        self.signin = SignInPresenter(self.store, edge, run_inline, self.views.append, lambda: NOW,
                                      self.signed_in.append, self.withdrawn.append)
        self.pick = PickPresenter(self.store, edge, self.sync, run_inline, self.views.append, lambda: NOW,
                                  self._signed_out, on_withdrawn=self.withdrawn.append)
        self.pack = PackPresenter(self.store, edge, self.sync, run_inline, self.views.append, lambda: NOW)

    def _signed_out(self):
        self.signed_out += 1
