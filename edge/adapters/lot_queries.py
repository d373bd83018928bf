"""Read side of lots and verification: profiles with who set them, item classes, lot rules, expired stock."""
import json
import sqlite3

from edge.domain.catalogue import VIRTUAL_PACK
from edge.domain.lots import expiry_date, is_expired
from edge.domain.receiving import QUARANTINE
from edge.service.pick_checks import site_today
from sync.sqlite_store import utc_now


def profiles(conn: sqlite3.Connection) -> list[dict]:
    """Every verification profile, most specific scope first."""
    rows = conn.execute("SELECT scope, name, requires, updated_by, updated_at FROM verification_profiles"
                        " ORDER BY CASE scope WHEN 'item_class' THEN 0 WHEN 'zone' THEN 1 ELSE 2 END, name")
    return [{"scope": r[0], "name": r[1], "requires": json.loads(r[2]), "updated_by": r[3], "updated_at": r[4]}
            for r in rows]


def item_classes(conn: sqlite3.Connection) -> list[dict]:
    return [{"sku": r[0], "item_class": r[1]}
            for r in conn.execute("SELECT sku, item_class FROM item_classes ORDER BY item_class, sku")]


def zones(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT zone FROM locations WHERE zone != '' ORDER BY zone")]


def lot_policy(conn: sqlite3.Connection) -> dict:
    row = conn.execute("SELECT substitution, timezone FROM lot_policy WHERE id = 1").fetchone()
    return {"substitution": row[0], "timezone": row[1]} if row else {"substitution": "none", "timezone": "UTC"}


def site_day(conn: sqlite3.Connection) -> str:
    """Return the site's calendar day now (ISO date), in the time zone of its lot rules."""
    return site_today(utc_now(), lot_policy(conn)["timezone"])


def expired_stock(conn: sqlite3.Connection, today: str) -> list[dict]:
    """Stock on the shelves (not packed, not in quarantine) whose lot expired before `today`, oldest first."""
    rows = conn.execute(
        "SELECT s.location, s.sku, s.lot, x.expiry, s.qty FROM stock s JOIN lots x ON x.sku = s.sku AND x.lot = s.lot"
        " WHERE s.qty > 0 AND s.lot != '' AND s.location NOT IN (?, ?)", [VIRTUAL_PACK, QUARANTINE]).fetchall()
    found = [{"location": r[0], "sku": r[1], "lot": r[2], "expiry": r[3], "expired_on": expiry_date(r[3]) or r[3],
              "qty": r[4]} for r in rows if is_expired(r[3], today)]
    return sorted(found, key=lambda e: (e["expired_on"], e["location"], e["sku"], e["lot"]))
