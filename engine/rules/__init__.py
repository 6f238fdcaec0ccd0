"""CalWORKs rule packs: cited data files (calworks-sc.yaml, calworks-la.yaml) and their loader."""

from engine.rules.loader import DEFAULT_PACK, load_pack, load_pack_file, pack_names
from engine.rules.schema import (
    AttestationHolds,
    AttestationRule,
    CaseEvent,
    DoseRule,
    ExemptionScope,
    GroupRules,
    MediCal,
    Pack,
    Role,
)

__all__ = [
    "DEFAULT_PACK",
    "AttestationHolds",
    "AttestationRule",
    "CaseEvent",
    "DoseRule",
    "ExemptionScope",
    "GroupRules",
    "MediCal",
    "Pack",
    "Role",
    "load_pack",
    "load_pack_file",
    "pack_names",
]
