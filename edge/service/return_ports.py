"""The repository role customer return handlers use (uow.returns); adapters implement it."""
from typing import Protocol

from edge.domain.returns import CustomerReturn, ReturnDiscrepancy


class ReturnRepository(Protocol):
    def get(self, return_id: str) -> CustomerReturn | None: ...
    def add(self, customer_return: CustomerReturn) -> None: ...
    def save(self, customer_return: CustomerReturn) -> None: ...
    def for_order(self, order_id: str) -> list[CustomerReturn]: ...
    def pick_faces(self, sku: str) -> list[str]:
        """Return the pick faces (locations with a min/max) of the sku, in walk order."""
    def add_exceptions(self, customer_return: CustomerReturn, found: list[ReturnDiscrepancy], at: str) -> None:
        """Record the return's differences from its RMA for the site lead."""
