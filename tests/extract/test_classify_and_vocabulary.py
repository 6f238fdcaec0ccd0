from __future__ import annotations

import pytest

from extract.classify import classify_document
from extract.layout import group_lines
from extract.page import Word
from extract.result import DocumentType
from extract.settings import ExtractSettings
from extract.vocabulary import match_vaccine


def lines_of(*texts: str) -> list:
    words = []
    for row, text in enumerate(texts):
        x = 10
        for token in text.split():
            words.append(Word(token, (x, 40 * row, x + 12 * len(token), 40 * row + 20), 0.95))
            x += 12 * len(token) + 10
    return group_lines(words)


@pytest.mark.parametrize(
    ("texts", "kind"),
    [
        (("CALIFORNIA IMMUNIZATION RECORD", "Name: Birthdate:", "VACCINE DATE GIVEN DOCTOR "
          "OFFICE OR CLINIC NEXT DOSE DUE"), DocumentType.YELLOW_CARD),
        (("REQUEST FOR VERIFICATION OF IMMUNIZATION", "PART A", "Case Number", "PART B"),
         DocumentType.CSF49),
        (("California Immunization Registry (CAIR2)", "Immunization History Report",
          "Registry ID:", "Vaccine Group Date Administered Series Trade Name"),
         DocumentType.CAIR2_REPORT),
        (("Dear parent, your electricity bill is attached",), DocumentType.UNKNOWN),
    ],
)
def test_documents_are_told_apart_by_their_printed_labels(texts: tuple[str, ...],
                                                          kind: DocumentType) -> None:
    assert classify_document(lines_of(*texts))[0] is kind


def test_one_ocr_slip_per_word_still_classifies() -> None:
    kind, confidence = classify_document(lines_of("IMMUNlZATION RECORD", "DATE GlVEN",
                                                  "NEXT DOSE DUE"))
    assert kind is DocumentType.YELLOW_CARD and confidence > 0.5


@pytest.mark.parametrize(
    ("text", "name", "groups"),
    [
        ("Pediarix", "Pediarix", {"DTaP", "HepB", "Polio"}),
        ("POLIO (IPV/OPV)   Pediarix", "Pediarix", {"DTaP", "HepB", "Polio"}),
        ("DTaP-IPV/Hib", "Pentacel", {"DTaP", "Polio", "Hib"}),
        ("MEASLES, MUMPS, RUBELLA", "MMR", {"MMR"}),
        ("Varivax", None, {"Varicella"}),
        ("Prevnar 13", None, {"Pneumococcal"}),
        ("ProQuad (MMRV)", None, {"MMR", "Varicella"}),
    ],
)
def test_names_written_on_records_are_recognised(text: str, name: str | None,
                                                 groups: set[str]) -> None:
    match = match_vaccine(text)
    assert match is not None
    assert set(match.groups) == groups
    if name:
        assert match.name == name


@pytest.mark.parametrize("text", ["Vacuna X", "Immunovax", "Inj. #7", "OTHER / OTRAS", ""])
def test_unknown_names_are_not_guessed(text: str) -> None:
    assert match_vaccine(text) is None


def test_a_bilingual_header_read_as_one_interleaved_line_still_classifies() -> None:
    kind, _ = classify_document(lines_of(
        "Name / Nombre: Birthdate / Fecha de nacimiento: Allergies / Alergias:",
        "VACCINE VACUNA DATE FECHA GIVEN DOCTOR MEDICO OFFICE O CLINICA OR CLINIC NEXT "
        "PROXIMA DOSE DOSIS DUE"))
    assert kind is DocumentType.YELLOW_CARD


def test_a_title_read_as_a_line_of_its_own_names_the_type_unsurely() -> None:
    # A blurred strip card: its title read, its small print not.
    kind, confidence = classify_document(lines_of(
        "IMMUNIZATION RECORD", "Comprobante de lnmuntzacion", "foe ha ord wy", "Mikes Roewts"))
    assert kind is DocumentType.YELLOW_CARD and confidence < 0.8


def test_a_blurred_title_with_two_slips_in_a_long_word_names_the_type_unsurely() -> None:
    # A phone photo of a strip card: nothing but the title read, and that with slips.
    kind, confidence = classify_document(lines_of(
        "CALIFORMA BAMUNIZATION RECORD", "Cmgnihede @ lamcom", "Vaxelis G2/23/2822"))
    assert kind is DocumentType.YELLOW_CARD and confidence < 0.8


@pytest.mark.parametrize(("junk", "kind"), [("mair", DocumentType.YELLOW_CARD),
                                          ("CAIR", DocumentType.UNKNOWN)])
def test_a_short_cue_counts_only_as_printed(junk: str, kind: DocumentType) -> None:
    # A strip card's photo: its title read clearly, nothing else but junk. One letter from
    # CAIR2's 'cair' is no registry's cue; the word itself makes the type a toss-up.
    found, confidence = classify_document(lines_of(
        "CALIFORNIA IMMUNIZATION RECORD", f"ee {junk} ie", "Vaxelis G2/23/2822"))
    threshold = ExtractSettings.model_fields["type_threshold"].default
    assert (found if confidence >= threshold else DocumentType.UNKNOWN) is kind


def test_a_registry_s_name_as_a_line_of_its_own_is_no_card_title() -> None:
    kind, _ = classify_document(lines_of("California Immunization Registry", "Vaxelis 2/23/2022"))
    assert kind is DocumentType.UNKNOWN


def test_a_title_s_words_inside_a_sentence_name_no_type() -> None:
    kind, _ = classify_document(lines_of("Please bring the immunization record to the visit"))
    assert kind is DocumentType.UNKNOWN


def test_words_of_a_cue_scattered_along_a_sentence_do_not_count() -> None:
    kind, _ = classify_document(lines_of(
        "Please date the form and return it when given to you by the office",
        "Allergies: none"))
    assert kind is DocumentType.UNKNOWN


@pytest.mark.parametrize(("text", "name"), [("DIPHTHERIA,", "DTaP"), ("MEASLES, MUMPS,", "MMR")])
def test_a_printed_row_label_cut_after_its_first_line_is_recognised(text: str,
                                                                     name: str) -> None:
    found = match_vaccine(text)
    assert found is not None and found.name == name


@pytest.mark.parametrize("text", ["Hiberix HepA", "Pediarix Prevnar 20", "MMR Varicella"])
def test_two_products_of_different_vaccines_in_one_cell_name_no_dose(text: str) -> None:
    # Two rows of a list read as one: which was given on the row's date is not known.
    assert match_vaccine(text) is None


@pytest.mark.parametrize(("text", "name"), [("POLIO (IPV/OPV) Pediarix", "Pediarix"),
                                            ("HEPATITIS B Pediarix", "Pediarix")])
def test_a_block_label_beside_its_product_names_the_product(text: str, name: str) -> None:
    found = match_vaccine(text)
    assert found is not None and found.name == name
