"""A run that could not judge everything because of transient faults, or was interrupted, is incomplete."""

from __future__ import annotations


class Incomplete(Exception):
    """A request or a scenario met only transient faults (throttles, resets, timeouts) within its retry budget.

    The test that met it is NOT_EXERCISED with this reason, and the run's gate fails as incomplete: a fault of the
    network or of the target's capacity is never judged, and never passes silently either.
    """
