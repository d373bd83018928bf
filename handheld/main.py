"""The handheld App: build the screens and wire them to their presenters (nothing else)."""
from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from .background import run_in_background
from .edge_client import EdgeClient
from .local_store import LocalStore
from .receiving_cache import ReceivingCache
from .batch_cache import BatchCache
from .presenters.batch import BatchPresenter
from .screens.batch import BatchScreen
from .presenters.count import CountPresenter
from .presenters.enrolment import EnrolmentPresenter
from .presenters.pack import PackPresenter
from .presenters.pick import PickPresenter
from .presenters.putaway import PutawayPresenter
from .presenters.receiving import ReceivingPresenter
from .presenters.replenish import ReplenishPresenter
from .presenters.returns import ReturnsPresenter
from .presenters.signin import SignInPresenter
from .presenters.status import StatusPresenter
from .screens import KV_DIR
from .screens.count import CountScreen
from .screens.enrolment import EnrolmentScreen
from .screens.pack import PackScreen
from .screens.pick import PickScreen
from .screens.putaway import PutawayScreen
from .screens.receiving import ReceivingScreen
from .screens.replenish import ReplenishScreen
from .screens.returns import ReturnsScreen
from .screens.signin import SignInScreen
from .sync_loop import WITHDRAWN, SyncLoop, utc_now


class HandheldApp(App):
    """Picker's handheld: sign in, pick, pack; works offline, syncs in the background."""

    title = "WES picker"
    status_text = StringProperty("CONNECTING")

    def __init__(self, edge_url: str, device_id: str, db_path: str, **kwargs):
        super().__init__(**kwargs)
        self.edge_url, self.device_id, self.db_path = edge_url, device_id, db_path

    def build(self):
        for name in ("widgets", "enrolment", "signin", "pick", "pack", "receiving", "putaway", "count", "replenish",
                     "returns", "batch"):
            Builder.load_file(str(KV_DIR / f"{name}.kv"))
        self.store = LocalStore(self.db_path)
        self.client = EdgeClient(self.edge_url, self.device_id, timeout=5.0)
        self.sync = SyncLoop(self.store, self.client, on_change=lambda: Clock.schedule_once(self._sync_changed))
        self.manager = ScreenManager(transition=NoTransition())
        signin, pick, pack = SignInScreen(name="signin"), PickScreen(name="pick"), PackScreen(name="pack")
        enrolment = EnrolmentScreen(name="enrolment")
        self.enrolment = EnrolmentPresenter(self.store, self.client, run_in_background, enrolment.render, utc_now,
                                            self._enrolled)
        self.status = StatusPresenter(self.store, self.sync, self._render_status)
        self.signin = SignInPresenter(self.store, self.client, run_in_background, signin.render, utc_now,
                                      self._signed_in, self._withdrawn)
        self.pick = PickPresenter(self.store, self.client, self.sync, run_in_background, pick.render, utc_now,
                                  self._signed_out, on_withdrawn=self._withdrawn)
        self.pack = PackPresenter(self.store, self.client, self.sync, run_in_background, pack.render, utc_now)
        receiving, putaway = ReceivingScreen(name="receiving"), PutawayScreen(name="putaway")
        cache = ReceivingCache(self.db_path)
        self.receiving = ReceivingPresenter(self.store, cache, self.client, self.sync, run_in_background,
                                            receiving.render, utc_now)
        self.putaway = PutawayPresenter(self.store, cache, self.client, self.sync, run_in_background,
                                        putaway.render, utc_now)
        returns = ReturnsScreen(name="returns")
        self.returns = ReturnsPresenter(self.store, cache, self.client, self.sync, run_in_background, returns.render,
                                        utc_now)
        count, replenish = CountScreen(name="count"), ReplenishScreen(name="replenish")
        self.count = CountPresenter(self.store, self.client, self.sync, run_in_background, count.render, utc_now,
                                    self._signed_out)
        self.replenish = ReplenishPresenter(self.store, self.client, self.sync, run_in_background, replenish.render,
                                            utc_now, self._signed_out)
        batch = BatchScreen(name="batch")
        self.batch = BatchPresenter(self.store, BatchCache(self.db_path), self.client, self.sync, run_in_background,
                                    batch.render, utc_now, self._signed_out)
        for screen, presenter in ((signin, self.signin), (pick, self.pick), (pack, self.pack),
                                  (enrolment, self.enrolment), (receiving, self.receiving),
                                  (putaway, self.putaway), (count, self.count), (replenish, self.replenish),
                                  (returns, self.returns), (batch, self.batch)):
            screen.bind_presenter(presenter)
            self.manager.add_widget(screen)
        self.sync.start()
        Clock.schedule_once(lambda _dt: self._open())
        Clock.schedule_interval(lambda _dt: self.status.refresh(), 1.0)
        return self.manager

    def _open(self) -> None:
        if self.enrolment.resume():
            return self._enrolled()
        self.manager.current = "enrolment"

    def _enrolled(self) -> None:
        self.manager.current = "signin"
        self.signin.resume()

    def _render_status(self, state) -> None:
        self.status_text = state.text

    def _sync_changed(self, _dt=None) -> None:
        self.status.refresh()
        if self.sync.last.blocked == WITHDRAWN and self.manager.current != "enrolment":
            return self._withdrawn(self.sync.last.message)
        self.pick.on_sync_changed()
        self.count.on_sync_changed()
        self.replenish.on_sync_changed()
        self.returns.on_sync_changed()
        self.batch.on_sync_changed()

    def _signed_in(self, picker: dict) -> None:
        self.status.set_picker(picker["name"])
        self.show_pick()
        self.pick.start()

    def _signed_out(self) -> None:
        self.signin.sign_out()
        self.manager.current = "signin"

    def _withdrawn(self, message: str) -> None:
        self.enrolment.withdrawn(message)
        self.status.set_picker("")
        self.manager.current = "enrolment"

    def show_pick(self) -> None:
        self.manager.current = "pick"

    def show_pack(self) -> None:
        self.manager.current = "pack"

    def show_receiving(self) -> None:
        self.manager.current = "receiving"

    def show_putaway(self) -> None:
        self.manager.current = "putaway"

    def show_returns(self) -> None:
        self.manager.current = "returns"

    def show_count(self) -> None:
        self.manager.current = "count"
        self.count.start()

    def show_replenish(self) -> None:
        self.manager.current = "replenish"
        self.replenish.start()

    def show_batch(self) -> None:
        self.manager.current = "batch"
        self.batch.start()

    def on_stop(self) -> None:
        self.sync.stop(timeout=2.0)
