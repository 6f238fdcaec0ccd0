"""The vaccine vocabulary: names and CVX codes to vaccines, never a guess."""

from __future__ import annotations

import pytest

from engine.errors import UnknownVaccine
from engine.model import VaccineGroup
from engine.vocabulary import find, lookup

G = VaccineGroup


@pytest.mark.parametrize(
    ("text", "cvx", "groups"),
    [
        ("DTaP", "20", {G.DTAP}),
        ("DTP", "01", {G.DTAP}),
        ("DT", "28", {G.DTAP}),
        ("Tdap", "115", {G.DTAP}),
        ("Td", "139", {G.DTAP}),
        ("IPV", "10", {G.POLIO}),
        ("Salk", "10", {G.POLIO}),
        ("TOPV", "02", {G.POLIO}),
        ("OPV", "182", {G.POLIO}),
        ("Sabin", "182", {G.POLIO}),
        ("HepB", "45", {G.HEPB}),
        ("Hep B", "45", {G.HEPB}),
        ("hep-b", "45", {G.HEPB}),
        ("Hib", "17", {G.HIB}),
        ("PRP-OMP", "49", {G.HIB}),
        ("Hib (PRP-OMP)", "49", {G.HIB}),
        ("PedvaxHIB", "49", {G.HIB}),
        ("ActHIB", "48", {G.HIB}),
        ("Hiberix", "48", {G.HIB}),
        ("MMR", "03", {G.MMR}),
        ("M-M-R II", "03", {G.MMR}),
        ("Priorix", "03", {G.MMR}),
        ("MMRV", "94", {G.MMR, G.VARICELLA}),
        ("ProQuad", "94", {G.MMR, G.VARICELLA}),
        ("VAR", "21", {G.VARICELLA}),
        ("VZV", "21", {G.VARICELLA}),
        ("chickenpox", "21", {G.VARICELLA}),
        ("Varivax", "21", {G.VARICELLA}),
        ("Pediarix", "110", {G.DTAP, G.HEPB, G.POLIO}),
        ("Pentacel", "120", {G.DTAP, G.HIB, G.POLIO}),
        ("Kinrix", "130", {G.DTAP, G.POLIO}),
        ("Quadracel", "130", {G.DTAP, G.POLIO}),
        ("Vaxelis", "146", {G.DTAP, G.HIB, G.HEPB, G.POLIO}),
        ("Engerix-B", "08", {G.HEPB}),
        ("Recombivax", "08", {G.HEPB}),
        ("Infanrix", "20", {G.DTAP}),
        ("Daptacel", "20", {G.DTAP}),
        ("Hep A", "85", set()),
        ("Prevnar 13", "133", set()),
        ("Influenza", "88", set()),
        ("CVX 110", "110", {G.DTAP, G.HEPB, G.POLIO}),
        ("3", "03", {G.MMR}),
    ],
)
def test_lookup_knows_the_names_people_write(text: str, cvx: str, groups: set[G]) -> None:
    vaccine = lookup(text)
    assert vaccine.cvx == cvx
    assert set(vaccine.groups) == groups


def test_antigens_come_from_the_cdsi_map() -> None:
    assert set(lookup("Pediarix").antigens) == {
        "Diphtheria", "Tetanus", "Pertussis", "HepB", "Polio"
    }
    assert set(lookup("DT").antigens) == {"Diphtheria", "Tetanus"}


@pytest.mark.parametrize("text", ["Foo", "DTaB", "Hib PRP", "", "999", "MMR Varicella"])
def test_lookup_never_guesses(text: str) -> None:
    with pytest.raises(UnknownVaccine, match=r"unknown vaccine|CVX"):
        lookup(text)


@pytest.mark.parametrize(
    ("text", "cvx"),
    [("DTaP #2", "20"), ("given: Pentacel 2/3/21", "120"), ("Hib PRP-OMP lot 33A", "49"),
     ("HEP B (Engerix-B)", None), ("MMR   ", "03")],
)
def test_find_reads_a_name_inside_ocr_text(text: str, cvx: str | None) -> None:
    found = find(text)
    assert (found.cvx if found else None) == cvx


@pytest.mark.parametrize("text", ["MMR and Varicella", "05/12/2021", "lot 12345", "signature"])
def test_find_answers_none_when_unsure(text: str) -> None:
    assert find(text) is None
