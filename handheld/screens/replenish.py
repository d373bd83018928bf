"""Replenish screen: from the reserve to the pick face; scanning the face confirms the move."""
from .count import JobScreen


class ReplenishScreen(JobScreen):
    """Nothing beyond a job screen: the pick face scan is the confirmation."""
