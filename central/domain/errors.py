"""Domain exceptions of the centre; the web layer maps them to HTTP errors."""


class CentralError(Exception):
    """Base of every business-rule failure the centre reports."""


class InvalidOrder(CentralError):
    """Raise when an order breaks a rule its fields alone can show (lines, priority, date)."""

    def __init__(self, message: str, errors: dict | None = None, code: str = "invalid_order"):
        super().__init__(message)
        self.errors, self.code = errors or {}, code


class UnknownItem(CentralError):
    """Raise when an order names skus the centre's item master does not hold."""

    def __init__(self, skus: list[str]):
        super().__init__(f"unknown sku(s): {', '.join(skus)}")
        self.skus = skus


class DuplicateOrder(CentralError):
    """Raise when an order with the same external reference was already taken."""

    def __init__(self, external_ref: str, order_id: str):
        super().__init__(f"external_ref {external_ref!r} is already order {order_id}")
        self.external_ref, self.order_id = external_ref, order_id


class CancelRefused(CentralError):
    """Raise when an order can no longer be cancelled (it shipped)."""

    def __init__(self, order_id: str, why: str):
        super().__init__(f"order {order_id} cannot be cancelled: {why}")
        self.order_id, self.why = order_id, why


class NotEnoughStock(CentralError):
    """Raise when a site asked for by name cannot fill the quantities (e.g. a transfer's source)."""

    def __init__(self, site_id: str, short: dict[str, int]):
        super().__init__(f"site {site_id} is short of {short}")
        self.site_id, self.short = site_id, short


class UnknownOrder(CentralError):
    """Raise when a command names an order the centre does not have."""

    def __init__(self, order_id: str):
        super().__init__(f"no order {order_id}")
        self.order_id = order_id


class UnknownSite(CentralError):
    """Raise when a request names a site that is not registered."""

    def __init__(self, site_id: str):
        super().__init__(f"no site {site_id}")
        self.site_id = site_id


class DuplicateSite(CentralError):
    """Raise when a site id is registered twice."""

    def __init__(self, site_id: str):
        super().__init__(f"site {site_id} already exists")
        self.site_id = site_id


class SiteEventNotApplicable(CentralError):
    """Raise when a site's event is well formed but cannot be applied; it is set aside."""


class InvalidSiteEvent(SiteEventNotApplicable):
    """Raise when a site event's type is unknown or its data fails the v1 schema."""


class OrderNotAtSite(SiteEventNotApplicable):
    """Raise when a site reports on an order the centre did not allocate to it."""

    def __init__(self, order_id: str, site_id: str):
        super().__init__(f"order {order_id} is not allocated to site {site_id}")


class UnknownOrderLine(SiteEventNotApplicable):
    """Raise when a site reports a line the order does not have, or with another sku."""
