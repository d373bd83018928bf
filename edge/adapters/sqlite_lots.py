"""Lots, the site's lot policy and verification profiles over SQLite; every call joins the unit of work's transaction."""
import json
import threading
import uuid

from sqlite_utils import Database

from edge.domain.lots import LotAtLocation, LotPolicy
from edge.domain.verification import Profile, Profiles

_CACHE: dict[str, Profiles] = {}  # token -> profiles; a token is unique per change, so databases never collide
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 64
_NONE = Profiles()


class SqliteLotRepository:
    def __init__(self, db: Database):
        self.db = db

    def policy(self) -> LotPolicy:
        row = self.db.execute("SELECT substitution, timezone FROM lot_policy WHERE id = 1").fetchone()
        return LotPolicy(*row) if row else LotPolicy()

    def save_policy(self, policy: LotPolicy) -> None:
        self.db.execute("INSERT OR REPLACE INTO lot_policy (id, substitution, timezone) VALUES (1, ?, ?)",
                        [policy.substitution, policy.timezone])

    def at_location(self, location: str, sku: str, lot: str) -> LotAtLocation | None:
        row = self.db.execute(
            "SELECT s.qty, COALESCE((SELECT x.expiry FROM lots x WHERE x.sku = s.sku AND x.lot = s.lot), '')"
            " FROM stock s WHERE s.location = ? AND s.sku = ? AND s.lot = ?", [location, sku, lot]).fetchone()
        if row is None:
            expiry = self.db.execute("SELECT expiry FROM lots WHERE sku = ? AND lot = ?", [sku, lot]).fetchone()
            return LotAtLocation(lot, expiry[0], 0) if expiry else None
        return LotAtLocation(lot, row[1], row[0])


    def lots_at(self, location: str, sku: str) -> list[LotAtLocation]:
        """Return every lot of the sku the location holds now, with its expiry."""
        return [LotAtLocation(lot, expiry, qty) for lot, expiry, qty in self.db.execute(
            "SELECT s.lot, COALESCE((SELECT x.expiry FROM lots x WHERE x.sku = s.sku AND x.lot = s.lot), ''), s.qty"
            " FROM stock s WHERE s.location = ? AND s.sku = ? AND s.lot != '' AND s.qty > 0 ORDER BY s.lot",
            [location, sku])]


class SqliteVerificationRepository:
    def __init__(self, db: Database):
        self.db = db
        self._read: Profiles | None = None  # read once per unit of work (a pick reads them twice)

    def profiles(self) -> Profiles:
        if self._read is None:
            self._read = self._profiles()
        return self._read

    def _profiles(self) -> Profiles:
        row = self.db.execute("SELECT token FROM verification_version WHERE id = 1").fetchone()
        if row is None:
            return _NONE  # nothing was ever set: the default profile, no further reads
        with _CACHE_LOCK:
            cached = _CACHE.get(row[0])
        if cached is not None:
            return cached
        profiles = Profiles(
            {(scope, name): frozenset(json.loads(requires)) for scope, name, requires in
             self.db.execute("SELECT scope, name, requires FROM verification_profiles")},
            dict(self.db.execute("SELECT sku, item_class FROM item_classes").fetchall()))
        with _CACHE_LOCK:
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.clear()
            _CACHE[row[0]] = profiles
        return profiles

    def save(self, profile: Profile, actor: str, at: str) -> None:
        requires = sorted(profile.requires)
        self.db.execute("INSERT OR REPLACE INTO verification_profiles (scope, name, requires, updated_by, updated_at)"
                        " VALUES (?,?,?,?,?)", [profile.scope, profile.name, json.dumps(requires), actor, at])
        self._changed()

    def delete(self, scope: str, name: str) -> bool:
        gone = self.db.execute("DELETE FROM verification_profiles WHERE scope = ? AND name = ?", [scope, name])
        self._changed()
        return gone.rowcount > 0

    def set_item_class(self, sku: str, item_class: str) -> None:
        if item_class:
            self.db.execute("INSERT OR REPLACE INTO item_classes (sku, item_class) VALUES (?, ?)", [sku, item_class])
        else:
            self.db.execute("DELETE FROM item_classes WHERE sku = ?", [sku])
        self._changed()

    def _changed(self) -> None:
        self._read = None
        self.db.execute("INSERT OR REPLACE INTO verification_version (id, token) VALUES (1, ?)", [uuid.uuid4().hex])
