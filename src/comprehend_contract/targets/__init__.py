"""Targets: how to reach and configure an implementation under test.

A target resolves to a ``TargetProfile`` (endpoints, region, credentials, S3 location, budgets). Embedded
targets (the reference, moto) start a server in this process; external ones (a profile file, a URL, real
AWS) are only connected to. The harness reaches every target the same way: over HTTP.
"""

from comprehend_contract.targets.profile import (
    LARGE_INPUT,
    SMALL_INPUT,
    Budgets,
    TargetError,
    TargetProfile,
    load_profile,
)
from comprehend_contract.targets.resolve import Target, TargetUnreachable, resolve_target

__all__ = [
    "LARGE_INPUT",
    "SMALL_INPUT",
    "Budgets",
    "Target",
    "TargetError",
    "TargetProfile",
    "TargetUnreachable",
    "load_profile",
    "resolve_target",
]
