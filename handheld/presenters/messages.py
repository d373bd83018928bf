"""Operator text the handheld shows (scan messages live in protocols.barcode.messages)."""

SCAN_BADGE = "Scan your badge to sign in."
NOT_A_BADGE = "That is not a badge. Scan the badge on your lanyard (BADGE-…)."
ENTER_PIN = "Badge {badge}: type your PIN and press Enter."
SIGNING_IN = "Signing in…"
OFFLINE_SIGN_IN = "Signed in on this device (no connection). Your work is saved and sent when the Wi-Fi is back."
CANNOT_SIGN_IN_OFFLINE = "No connection to the site server, and badge {badge} has not signed in on this device. Move to Wi-Fi and try again."

LOADING = "Getting your next task…"
GO_TO = "Go to {location} and scan its label."
SCAN_ITEM = "Scan {sku} ({description})."
CONFIRM_QTY = "{qty} × {sku} scanned. Scan again for each, or type the quantity, then Confirm."
LOCATION_OK = "Location {location} OK."
ITEM_OK = "{sku} OK."
PICKED = "Picked {qty} × {sku}. {left} left."
TASK_DONE = "Task done: {qty} × {sku} picked."
SHORT_PROMPT = "How many {sku} did you find at {location}? Type the number and choose a reason."
SHORT_FOUND = "Found {qty}: now tap the reason (Not found / Damaged)."
SHORTED = "Short pick saved: found {qty} of {wanted} × {sku}."
BAD_QTY = "Type a quantity from {low} to {high}."
ONLY_LEFT = "Only {left} × {sku} still to pick: do not scan more."
SCAN_GS1 = "Scan the GS1 label with the {what}: this item is tracked."
ONE_SERIAL = "Each serial number is its own pick: Confirm this one, then scan the next label."
OTHER_LOT = "That label is another lot: Confirm the items of lot {lot} first, then scan the next lot."
WRONG_LOT = "Wrong lot: this is lot {scanned}. Pick lot {lot}{expiry} from {location}."
LOT_EXPIRED = "Expired {expiry}: do not pick it. Put it aside and tell your site lead."
TYPE_QTY = "Type how many you took, then Confirm: this pick needs the quantity confirmed."
TAKE_QTY = "Take {qty} × {sku} ({description}) from {location}: type how many you took, then Confirm."
NO_TASK = "No task for you right now. Tap Next task to check again."
OFFLINE_NO_TASK = "No connection and no task on this device. {waiting} saved ops will be sent when the Wi-Fi is back; tap Next task to retry."
SIGNED_OUT = "Your session ended. Sign in again: your saved work is kept and sent after sign-in."
SHORT_NEEDS_LOCATION = "Scan the location first, then report what you found there."

REFUSAL = "The site server refused your {what} for task {task}: {message}"
REFUSAL_ADVICE = {
    "task_closed": "The task was closed (cancelled or done by someone else). Put the items back at {location} and take the next task.",
    "not_your_task": "The task was given to someone else. Put the items back at {location} and take the next task.",
    "unknown_task": "The task no longer exists. Put the items back at {location} and take the next task.",
    "not_enough_stock": "The system shows no stock left there. Keep the items aside and tell the site lead.",
    "too_many": "The task needed fewer than you picked. Put the extra items back at {location}.",
    "lease_lost": "The task was handed to another picker while you were offline. Put the items back at {location} and take the next task.",
    "wrong_lot": "Put the items back at {location}: that lot may not be picked for this task. Take the next task.",
    "lot_expired": "The lot had expired: put the items aside and tell the site lead.",
    "scan_required": "The site now asks for more scans on this pick: put the items back at {location} and pick it again.",
}
REFUSAL_DEFAULT = "Tell the site lead; then take the next task."
OP_NAMES = {"location_scan": "location scan", "pick": "pick", "short": "short pick", "carton": "carton",
            "shipment": "shipment", "postpone": "skip", "batch_location": "location scan",
            "batch_pick": "pick into tote", "batch_short": "short pick", "batch_close": "batch close"}
POSTPONED = "Task {task} put back for later."
ALTERNATIVE = "{sku} is also at {location} ({free} free): tell your site lead if the order needs it."

ENROL_PROMPT = "This handheld is not enrolled. Type the site server address and the code from your site lead."
ENROLLING = "Enrolling this handheld…"
ENROL_NEEDS_BOTH = "Type both the site server address (http://…) and the enrolment code."
ENROL_OFFLINE = "Cannot reach {url}. Check the address and the Wi-Fi, then try again."
ENROLLED = "Handheld enrolled at site {site}. Scan your badge to sign in."

PACK_PROMPT = "Scan or tap an order to pack, or scan the tote it came in."
PACK_SELECTED = ("Order {order}: scan each item into the carton, then Close carton (with none scanned, all is packed). "
                 "To ship, scan the dock door and each carton, then Ship.")
NOT_IN_ORDER = "{barcode} is not left to pack in order {order}. Keep it out of the carton and give it to your lead."
PACK_TOO_MANY = "Only {left} × {sku} left to pack: take the extra out of the carton."
PACKED_ITEM = "{qty} × {sku} in the carton."
DOCK_OK = "Dock door {dock}: now scan each carton as it is loaded."
CARTON_LOADED = "Carton {carton} loaded ({count} so far). Scan the next one, or Ship when all are on."
CARTON_TWICE = "Carton {carton} is already scanned. Scan the next carton."
SCAN_DOCK = "Scan the dock door label (DOCK-…) before you ship."
LOADING_LIST = "Dock {dock}, loaded: {cartons}"
CARTON_CLOSED = "Carton closed for order {order}. The label prints at the pack station."
SHIPPED = "Order {order} shipped."
NO_ORDER = "Scan or tap an order first."
PACK_NONE = "No orders to pack."
PACK_OFFLINE = "No connection: the order list needs the site server. Scanned orders are still queued."
