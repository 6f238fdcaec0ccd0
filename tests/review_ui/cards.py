"""The synthetic documents the review-page tests seed (every child here is made up)."""

from __future__ import annotations

from typing import Any


def _row(text: str, date: str | None, provider: str = "Valley Clinic", name: str | None = None,
         date_text: str | None = None, conf: dict[str, float] | None = None) -> dict[str, Any]:
    """A dose line as written (`text`), read as vaccine `name` (the text when omitted)."""
    month_first = f"{date[5:7]}/{date[8:10]}/{date[:4]}" if date else ""
    return {"text": text, "vaccine": name or text, "date": date,
            "date_text": date_text or month_first, "provider": provider, "conf": conf or {}}


MIA = {"name": "Mia Santos", "birth_date": "2025-03-10", "birth_text": "03/10/2025"}
LEO = {"name": "Leo Park", "birth_date": "2024-08-05", "birth_text": "08/05/2024"}
ANA = {"name": "Ana Lee", "birth_date": "2025-01-20", "birth_text": "01/20/2025"}

# A yellow card with a year misread (2036), an unsure "H1b" and a dose without a clinic.
MIA_CARD: dict[str, Any] = {
    "child": MIA,
    "doses": [
        _row("Hep B", "2025-03-10", name="HepB"), _row("Hep B", "2025-05-12", name="HepB"),
        _row("Hep B", "2025-09-15", name="HepB"),
        _row("DTaP", "2025-05-12"), _row("DTaP", "2025-07-14"), _row("DTaP", "2025-09-15"),
        _row("DTaP", "2036-06-20", conf={"date": 0.55}),
        _row("IPV", "2025-05-12"), _row("IPV", "2025-07-14"), _row("IPV", "2025-09-15"),
        _row("H1b", "2025-05-12", name="Hib", conf={"vaccine": 0.66}), _row("Hib", "2025-07-14"),
        _row("Hib", "2026-03-12"),
        _row("MMR", "2026-03-12"), _row("Varicella", "2026-03-12", provider=""),
    ],
    "flags": [{"code": "date_in_future", "field": "doses[6].date",
               "message": "2036-06-20 is after today"}],
}
# The registry printout of the same child: accepted without review, merged in the child view.
MIA_CAIR2: dict[str, Any] = {
    "type": "cair2_report", "child": MIA,
    "doses": [_row("HepB", "2025-03-10"), _row("MMR", "2026-03-12"),
              _row("Varicella", "2026-03-12")],
}
# Not an immunization record at all.
UNKNOWN: dict[str, Any] = {
    "type": "unknown", "child": {"name": "", "birth_date": None}, "doses": [],
    "flags": [{"code": "unknown_document_type", "field": "document_type",
               "message": "not a yellow card, CSF 49 or CAIR2 report"}],
}
# The typical flagged yellow card the keyboard test clears: a day and month swapped, an unsure
# vaccine name and a dose without a clinic.
LEO_CARD: dict[str, Any] = {
    "child": LEO,
    "doses": [
        _row("Hep B", "2024-08-05", name="HepB"), _row("Pediarix", "2024-10-07"),
        _row("Pediarix", "2024-12-09"), _row("Pediarix", "2025-02-10"),
        _row("H1b", "2024-10-07", name="Hib", conf={"vaccine": 0.62}), _row("Hib", "2024-12-09"),
        _row("Hib", "2025-08-11"), _row("MMR", "2025-08-10", date_text="10/08/2025",
             conf={"date": 0.58}),
        _row("Varicella", "2025-08-11", provider=""), _row("DTaP", "2026-02-09"),
    ],
    "flags": [{"code": "possible_day_month_swap", "field": "doses[7].date",
               "message": "10/08/2025 may be 10 August or 8 October (day and month swapped)"}],
}
ANA_CARD: dict[str, Any] = {
    "child": ANA,
    "doses": [_row("Pediarix", "2025-03-24"), _row("Pediarix", "2025-05-26", conf={"date": 0.61})],
}
