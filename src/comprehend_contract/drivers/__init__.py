"""State drivers: bring jobs into every state through the public API only, once per run, and record evidence.

A *scenario* is a script over one job (start it, wait for a state, stop it, read its output...). Scenarios run
up front and concurrently, each exactly once per run even under pytest-xdist (``board``), and record every
exchange as evidence (``core.evidence``) that any test, on any worker, can judge. Tests never drive jobs. The
scenarios' names, steps and shapes are the core's (``core.scenarios``); the scripts are here.
"""

from comprehend_contract.drivers.board import ScenarioBoard
from comprehend_contract.drivers.scenarios import SCRIPTS, Driver, StateNotReached

__all__ = ["SCRIPTS", "Driver", "ScenarioBoard", "StateNotReached"]
