"""CDC's CDSi logic (evaluation and forecast) for the six vaccine groups shotcheck checks."""

from engine.cdsi.result import (
    CdsiResult,
    DoseEvaluation,
    DoseResult,
    EvaluationStatus,
    ForecastStatus,
    GroupForecast,
)
from engine.cdsi.run import evaluate_record

__all__ = [
    "CdsiResult",
    "DoseEvaluation",
    "DoseResult",
    "EvaluationStatus",
    "ForecastStatus",
    "GroupForecast",
    "evaluate_record",
]
