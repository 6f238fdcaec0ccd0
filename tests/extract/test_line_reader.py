"""Date and name searches over a line recogniser's frames, and the PP-OCR reader itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw, ImageFont

from extract.date_lines import (
    ANY_YEAR,
    DATE_CHARACTERS,
    best_path_text,
    likeliest_dates,
    record_years,
)
from extract.guard import GuardedEngine
from extract.name_lines import likeliest_name
from extract.ocr import OcrRequest
from extract.page import Gray, Word

# Class 0 is the blank; then the date characters, then one letter no date holds.
CLASSES = ["<blank>", *DATE_CHARACTERS, "r"]
CHARACTERS = {i: ch for i, ch in enumerate(CLASSES) if i > 0}


def frames(*columns: dict[str, float], classes: list[str] = CLASSES) -> np.ndarray:
    """One frame per dict of character beliefs; what is left over goes to the blank."""
    index = {ch: i for i, ch in enumerate(classes)}
    matrix = np.zeros((len(columns), len(classes)), dtype=np.float32)
    for t, beliefs in enumerate(columns):
        for ch, p in beliefs.items():
            matrix[t, index[ch]] = p
        matrix[t, 0] = 1.0 - sum(beliefs.values())
    return matrix


def written(text: str, sure: float = 0.96) -> np.ndarray:
    """Frames for `text` written clearly: each character, then a blank."""
    columns: list[dict[str, float]] = []
    for ch in text:
        columns += [{ch: sure}, {}]
    return frames(*columns)


def test_a_stroke_that_is_likelier_a_slash_is_read_as_the_one_a_date_needs() -> None:
    # '1/1/2024' where the second 1 looks more like a slash: frame by frame it reads '1//2024'.
    columns = [{"1": 0.9}, {}, {"/": 0.9}, {}, {"/": 0.6, "1": 0.35}, {}, {"/": 0.9}, {}]
    columns += [c for ch in "2024" for c in ({ch: 0.95}, {})]
    dates = likeliest_dates(frames(*columns), CHARACTERS)
    assert dates[0].text == "1/1/2024"


def test_a_letter_the_recogniser_prefers_gives_way_to_the_digit_beside_it() -> None:
    columns = [{"3": 0.9}, {}, {"/": 0.9}, {}, {"1": 0.9}, {}, {"r": 0.7, "2": 0.25}, {}]
    columns += [{"/": 0.9}, {}] + [c for ch in "2024" for c in ({ch: 0.95}, {})]
    assert likeliest_dates(frames(*columns), CHARACTERS)[0].text == "3/12/2024"


def test_two_dates_the_strokes_fit_equally_well_are_both_unsure() -> None:
    columns = [{"1": 0.9}, {}, {"/": 0.9}, {}, {"3": 0.48, "8": 0.48}, {}, {"/": 0.9}, {}]
    columns += [c for ch in "2023" for c in ({ch: 0.95}, {})]
    dates = likeliest_dates(frames(*columns), CHARACTERS)
    assert {d.text for d in dates[:2]} == {"1/3/2023", "1/8/2023"}
    assert all(d.confidence < 0.6 for d in dates[:2])


def test_a_doubled_digit_needs_a_blank_between_its_strokes() -> None:
    assert likeliest_dates(written("11/22/2023"), CHARACTERS)[0].text == "11/22/2023"
    # The same 1 held over two frames is one 1.
    columns = [{"1": 0.95}, {"1": 0.95}, {}, {"/": 0.95}, {}]
    columns += [c for ch in "5/2023" for c in ({ch: 0.95}, {})]
    assert likeliest_dates(frames(*columns), CHARACTERS)[0].text == "1/5/2023"


def _with_a_faint_digit(share: float, before: str = "7/1", digit: str = "1",
                        after: str = "/2024") -> np.ndarray:
    """`before + digit + after` ('7/11/2024') whose `digit` the recogniser gives `share` of one
    frame, the rest blank."""
    columns: list[dict[str, float]] = [c for ch in before for c in ({ch: 0.96}, {})]
    columns += [{digit: share}, {}] + [c for ch in after for c in ({ch: 0.96}, {})]
    return frames(*columns)


def test_a_one_written_close_to_another_is_read_when_it_holds_a_tenth_of_the_belief() -> None:
    # 0.1 of the frame against 0.9 blank: '7/11/2024' holds about a ninth of '7/1/2024'.
    dates = likeliest_dates(_with_a_faint_digit(0.10), CHARACTERS)
    assert dates[0].text == "7/11/2024"
    # Weighed up, not made sure: the cell still goes to a reviewer.
    assert dates[0].confidence < 0.6


def test_a_one_holding_less_than_a_tenth_of_the_belief_is_not_read() -> None:
    # 0.08 against 0.92: about a twelfth.
    assert likeliest_dates(_with_a_faint_digit(0.08), CHARACTERS)[0].text == "7/1/2024"


def test_a_two_leading_a_day_is_read_when_it_holds_a_tenth_of_the_belief() -> None:
    assert likeliest_dates(_with_a_faint_digit(0.10, "8/", "2", "7/2024"),
                           CHARACTERS)[0].text == "8/27/2024"
    assert likeliest_dates(_with_a_faint_digit(0.08, "8/", "2", "7/2024"),
                           CHARACTERS)[0].text == "8/7/2024"


def test_a_faint_zero_is_not_weighed_up() -> None:
    # A hand's day or month loses a 1 or a 2 to the recogniser; a 0 it reads faintly is seldom
    # written ('1/18/2019' is not made '10/18/2019').
    assert likeliest_dates(_with_a_faint_digit(0.10, "1", "0", "/18/2019"),
                           CHARACTERS)[0].text == "1/18/2019"


def test_a_one_read_instead_of_another_digit_is_not_weighed_up() -> None:
    columns: list[dict[str, float]] = [c for ch in "7/" for c in ({ch: 0.96}, {})]
    columns += [{"4": 0.6, "1": 0.3}, {}] + [c for ch in "/2024" for c in ({ch: 0.96}, {})]
    assert likeliest_dates(frames(*columns), CHARACTERS)[0].text == "7/4/2024"


@pytest.mark.parametrize("text", ["13/1/2023", "2/30/2023", "1-5/2023", "2023", "1/2/3", "",
                                  "5.1023", "5/10/1023", "3/1/3024"])
def test_what_is_no_calendar_date_is_not_offered(text: str) -> None:
    dates = likeliest_dates(written(text), CHARACTERS) if text else likeliest_dates(
        frames({}, {}), CHARACTERS)
    assert text not in {d.text for d in dates}


def test_a_leap_day_is_a_date_only_in_a_leap_year() -> None:
    assert likeliest_dates(written("2/29/2024"), CHARACTERS)[0].text == "2/29/2024"
    assert "2/29/2023" not in {d.text for d in likeliest_dates(written("2/29/2023"), CHARACTERS)}


@pytest.mark.parametrize("text", ["07/2022", "7/22", "03-14-2021", "3.4.22"])
def test_months_two_digit_years_and_every_separator_are_dates(text: str) -> None:
    dates = likeliest_dates(written(text, sure=0.995), CHARACTERS)
    assert dates[0].text == text
    assert dates[0].confidence > 0.9


@settings(max_examples=150, deadline=None)
@given(day=st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)), separator=st.sampled_from("/-."),
       padded=st.booleans(), short_year=st.booleans(), sure=st.floats(0.8, 0.999))
def test_any_date_written_clearly_is_read_back(day: dt.date, separator: str, padded: bool,
                                               short_year: bool, sure: float) -> None:
    month, date = (f"{day.month:02d}", f"{day.day:02d}") if padded else (str(day.month),
                                                                        str(day.day))
    year = f"{day.year % 100:02d}" if short_year else str(day.year)
    text = separator.join((month, date, year))
    dates = likeliest_dates(written(text, sure), CHARACTERS)
    assert dates[0].text == text


READ_ON = dt.date(2026, 12, 6)


def faint_twos(text: str) -> np.ndarray:
    """Frames for `text` whose 2s the recogniser barely sees: a hand writing them like an r."""
    columns: list[dict[str, float]] = []
    for ch in text:
        columns += [{ch: 0.3} if ch == "2" else {ch: 0.96}, {}]
    return frames(*columns)


def test_a_year_before_anyone_on_the_record_was_born_gives_way_to_a_year_they_could_be() -> None:
    # '4/8/2023' with faint 2s: read freely, the year loses both and '4/8/03' is likeliest.
    assert likeliest_dates(faint_twos("4/8/2023"), CHARACTERS)[0].text == "4/8/03"
    dates = likeliest_dates(faint_twos("4/8/2023"), CHARACTERS, record_years(READ_ON))
    assert dates[0].text == "4/8/2023"
    assert "4/8/03" not in {d.text for d in dates}


def test_a_month_and_year_is_held_to_the_records_years_too() -> None:
    dates = likeliest_dates(faint_twos("3/2023"), CHARACTERS, record_years(READ_ON))
    assert dates[0].text == "3/2023"
    assert "3/03" not in {d.text for d in likeliest_dates(written("3/03"), CHARACTERS,
                                                           record_years(READ_ON))}


@pytest.mark.parametrize(("year", "offered"), [(2016, True), (2015, False), (2039, True),
                                               (2040, False)])
def test_a_record_read_today_holds_dates_from_ten_years_back_to_the_end_of_the_next_decade(
        year: int, offered: bool) -> None:
    # The next decade is kept: a year written ahead by mistake ('2035' for 2025) is flagged as
    # in the future, so it must be read.
    for text in (f"5/14/{year}", f"5/14/{year % 100:02d}"):
        dates = likeliest_dates(written(text, sure=0.995), CHARACTERS, record_years(READ_ON))
        assert (text in {d.text for d in dates}) is offered


def drawn(text: str, size: int = 40) -> Gray:
    """A date drawn in a plain font on white, as a clean cell crop would look."""
    face = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", size)
    image = Image.new("L", (int(face.getlength(text)) + 40, size + 30), 255)
    ImageDraw.Draw(image).text((20, 10), text, font=face, fill=0)
    return np.asarray(image, dtype=np.uint8)


@pytest.fixture(scope="module")
def reader():  # type: ignore[no-untyped-def]
    from extract._ppocr import paddle_line_reader

    return paddle_line_reader()


def test_the_paddle_reader_reads_drawn_dates_and_nothing_in_a_blank_cell(reader) -> None:  # type: ignore[no-untyped-def]
    blank = np.full((60, 200), 255, dtype=np.uint8)
    choices = reader.read_date_choices([drawn("3/14/2022"), drawn("11-02-2023"), blank],
                                     ANY_YEAR)
    assert [cell[0][0] if cell else None for cell in choices] == ["3/14/2022", "11-02-2023", None]
    assert choices[0][0][1] > 0.8
    # Likeliest first, each with its share.
    assert [share for _, share in choices[0]] == sorted((s for _, s in choices[0]), reverse=True)


def test_writing_as_tall_as_its_cell_keeps_its_ones_while_the_cell_borders_go(  # type: ignore[no-untyped-def]
        reader) -> None:
    # Cut to the height of the writing: each 1 and slash is inked over most of its column, as
    # in a list row filled to its rules. Only the borders cross the crop from end to end.
    cell = drawn("11/14/2021", size=48)
    inked_rows = np.nonzero((cell < 128).any(axis=1))[0]
    cell = cell[inked_rows[0] - 2 : inked_rows[-1] + 3].copy()
    cell[:, :2] = 0
    cell[-2:, :] = 0
    assert (cell[:, 30:-2] < 128).mean(axis=0).max() > 0.6
    read = reader.read_date_choices([cell], ANY_YEAR)
    assert [c[0][0] if c else None for c in read] == ["11/14/2021"]


def test_a_faded_date_is_read_and_a_grainy_blank_cell_stays_blank(reader) -> None:  # type: ignore[no-untyped-def]
    # A worn card: strokes 35 levels darker than the paper, under the contrast of fresh ink.
    faded = (255 - (255 - drawn("3/14/2022").astype(np.int16)) * 35 // 255).astype(np.uint8)
    assert faded.min() == 220
    # Scanner grain of +-8 levels on an empty cell is no writing, however faint ink may be.
    grain = np.random.default_rng(7).integers(-8, 9, (60, 200))
    blank = (247 + grain).astype(np.uint8)

    choices = reader.read_date_choices([faded, blank], ANY_YEAR)

    assert [cell[0][0] if cell else None for cell in choices] == ["3/14/2022", None]


def test_a_short_line_is_padded_to_the_width_the_recogniser_was_trained_at() -> None:
    from extract._ppocr import _line_image

    line = _line_image(drawn("3/4/22"))
    assert line is not None and line.shape == (1, 3, 48, 320)
    # Right of the writing: zeros, the mid grey PaddleOCR pads with, not white paper (1.0).
    assert np.all(line[..., -40:] == 0.0)
    wide = _line_image(drawn("11/14/2021  11/14/2021  11/14/2021"))
    assert wide is not None and wide.shape[3] > 320


class Dates:
    """A word engine that reads nothing, with a line reader that reads one date."""

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        return []

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        return [[("1/2/2023", 0.9), ("1/2/2025", 0.1)] for _ in images]

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        return [("IPV", 0.9) for _ in images]

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        return [(names[0], 0.5) for _ in images]


def test_the_guarded_engine_asks_its_line_reader_and_answers_none_without_one() -> None:
    cells = [np.full((20, 20), 255, dtype=np.uint8)] * 2
    assert GuardedEngine(Dates(), 5, Dates()).read_date_choices(cells, ANY_YEAR) == [
        [("1/2/2023", 0.9), ("1/2/2025", 0.1)]] * 2
    assert GuardedEngine(Dates(), 5).read_date_choices(cells, ANY_YEAR) == [[], []]
    assert GuardedEngine(Dates(), 5, Dates()).read_text_lines(cells) == [("IPV", 0.9)] * 2
    assert GuardedEngine(Dates(), 5).read_text_lines(cells) == [None, None]
    assert GuardedEngine(Dates(), 5, Dates()).read_name_lines(cells, ["MMR"]) == [("MMR", 0.5)] * 2


def test_a_name_is_read_letter_by_letter_when_every_frame_is_sure() -> None:
    assert best_path_text(written("3/4"), CHARACTERS) == ("3/4", pytest.approx(0.96))
    assert best_path_text(frames({}, {}), CHARACTERS) is None


# The letters of a name, both cases, then what writers put between them.
NAME_CLASSES = ["<blank>", *"ABCDEFGHIJKLMNOPQRSTUVWXYZ", *"abcdefghijklmnopqrstuvwxyz",
                *"0123456789", " ", "-", "#"]
NAME_CHARACTERS = {i: ch for i, ch in enumerate(NAME_CLASSES) if i > 0}
VOCABULARY = ["MMR", "MMRV", "DTaP", "Hep B", "IPV", "Flu"]


def name_frames(*columns: dict[str, float]) -> np.ndarray:
    return frames(*columns, classes=NAME_CLASSES)


def test_the_second_choice_of_a_stroke_names_the_vaccine() -> None:
    # 'MMK' read letter by letter; the recogniser's second choice for the K was an R.
    strokes = name_frames({"M": 0.9}, {}, {"M": 0.9}, {}, {"K": 0.55, "R": 0.4}, {})
    chosen = likeliest_name(strokes, NAME_CHARACTERS, VOCABULARY)
    assert chosen is not None and VOCABULARY[chosen.index] == "MMR"


def test_case_spaces_and_hyphens_do_not_matter_to_a_name() -> None:
    strokes = name_frames({"h": 0.9}, {}, {"E": 0.9}, {}, {"p": 0.9}, {"-": 0.9}, {"b": 0.9}, {})
    chosen = likeliest_name(strokes, NAME_CHARACTERS, VOCABULARY)
    assert chosen is not None and VOCABULARY[chosen.index] == "Hep B"
    assert chosen.confidence > 0.9


def test_writing_that_spells_no_name_of_the_list_is_not_given_one() -> None:
    strokes = name_frames(*[c for ch in "fever" for c in ({ch: 0.9}, {})])
    assert likeliest_name(strokes, NAME_CHARACTERS, VOCABULARY) is None


def test_names_of_punctuation_only_are_scored_as_blank_writing() -> None:
    # A name field read as '|': there is no letter to spell, and nothing must break.
    strokes = name_frames({"M": 0.9}, {}, {"M": 0.9}, {}, {"R": 0.9}, {})
    assert likeliest_name(strokes, NAME_CHARACTERS, ["|"]) is None
    assert likeliest_name(name_frames({}, {}, {}), NAME_CHARACTERS, ["|"]) is not None


def test_a_name_one_letter_longer_is_told_apart_by_its_last_stroke() -> None:
    mmrv = name_frames({"M": 0.9}, {}, {"M": 0.9}, {}, {"R": 0.9}, {}, {"V": 0.9}, {})
    mmr = name_frames({"M": 0.9}, {}, {"M": 0.9}, {}, {"R": 0.9}, {}, {}, {})
    first = likeliest_name(mmrv, NAME_CHARACTERS, VOCABULARY)
    second = likeliest_name(mmr, NAME_CHARACTERS, VOCABULARY)
    assert first is not None and VOCABULARY[first.index] == "MMRV"
    assert second is not None and VOCABULARY[second.index] == "MMR"


HEPATITIS = ["HepA", "Hep A", "HepB"]
HEPATITIS_GROUPS = ["HepA", "HepA", "HepB"]


def hep_with_last_stroke(a: float, b: float) -> np.ndarray:
    """'Hep' written plainly, then a stroke read first as an R, with A and B behind it."""
    last = {"R": 0.9, "A": a, "B": b}
    return name_frames({"H": 0.9}, {}, {"e": 0.9}, {}, {"p": 0.9}, {}, last, {})


def lead_of_a_over_b(lead: float) -> float:
    """The B belief that puts HepA `lead` nats above HepB, with A at 0.05."""
    return 0.05 * float(np.exp(-lead))


def test_a_name_read_with_a_wrong_letter_is_chosen_when_no_other_vaccine_fits_nearly() -> None:
    # 'HepR' frame by frame: HepA is 2.9 nats below that, more than a slip, but the strokes fit
    # it over 5 nats better than HepB, the only name that stands for something else.
    chosen = likeliest_name(hep_with_last_stroke(0.05, lead_of_a_over_b(5.2)), NAME_CHARACTERS,
                            HEPATITIS, HEPATITIS_GROUPS)
    assert chosen is not None and HEPATITIS[chosen.index] in ("HepA", "Hep A")


def test_a_name_read_with_a_wrong_letter_is_not_chosen_when_another_vaccine_fits_nearly() -> None:
    strokes = hep_with_last_stroke(0.05, lead_of_a_over_b(4.8))
    assert likeliest_name(strokes, NAME_CHARACTERS, HEPATITIS, HEPATITIS_GROUPS) is None


def test_spellings_of_one_vaccine_do_not_set_each_other_apart() -> None:
    # 'HepA' and 'Hep A' fit alike: told they are one vaccine, the lead is over HepB; told
    # nothing, each is the other's close rival and neither is chosen.
    strokes = hep_with_last_stroke(0.05, 0.0)
    assert likeliest_name(strokes, NAME_CHARACTERS, HEPATITIS, HEPATITIS_GROUPS) is not None
    assert likeliest_name(strokes, NAME_CHARACTERS, HEPATITIS) is None


def test_strokes_far_from_every_name_are_given_none_however_far_ahead_one_is() -> None:
    # Two and a half nats a letter below the strokes' own reading at most: 'HepA' has four.
    near = hep_with_last_stroke(0.9 * float(np.exp(-9.5)), 0.0)
    far = hep_with_last_stroke(0.9 * float(np.exp(-10.5)), 0.0)
    assert likeliest_name(near, NAME_CHARACTERS, HEPATITIS, HEPATITIS_GROUPS) is not None
    assert likeliest_name(far, NAME_CHARACTERS, HEPATITIS, HEPATITIS_GROUPS) is None


def test_the_paddle_reader_reads_a_drawn_name_and_picks_it_from_a_list(reader) -> None:  # type: ignore[no-untyped-def]
    image = drawn("Varivax")
    (text,) = reader.read_text_lines([image])
    assert text is not None and text[0] == "Varivax"
    (name,) = reader.read_name_lines([image], ["Varivax", "ProQuad", "MMR"])
    assert name is not None and name[0] == "Varivax" and name[1] > 0.9


@pytest.mark.parametrize("written_name", ["Immunovax", "Vacuna X", "TB test", "Padinix"])
def test_the_paddle_reader_gives_no_vaccine_to_a_plain_name_that_is_none(  # type: ignore[no-untyped-def]
        reader, written_name: str) -> None:
    # Written plainly, a name no vaccine has is far from every name in the vocabulary: a letter
    # misread is what the lead over other vaccines forgives, not another word.
    from extract.vocabulary import vaccine_name_groups, vaccine_names

    assert reader.read_name_lines([drawn(written_name)], vaccine_names(),
                                  vaccine_name_groups()) == [None]


class _Meta:
    def __init__(self, listed: dict[str, str]) -> None:
        self.custom_metadata_map = listed


class _Output:
    def __init__(self, width: int) -> None:
        self.shape = ["batch", "frames", width]


class _Session:
    """What the reader asks an ONNX session for its classes."""

    def __init__(self, listed: dict[str, str], width: int = 5) -> None:
        self.listed = listed
        self.width = width

    def get_modelmeta(self) -> _Meta:
        return _Meta(self.listed)

    def get_outputs(self) -> list[_Output]:
        return [_Output(self.width)]


def test_a_model_that_lists_its_characters_gives_the_blank_first_and_the_space_last() -> None:
    from extract._ppocr import _metadata_classes

    assert _metadata_classes(_Session({"character": "0\n1\n/"})) == ["<blank>", "0", "1", "/", " "]


def test_a_model_with_no_character_list_is_a_missing_tool_with_what_to_install() -> None:
    from extract._ppocr import _metadata_classes
    from extract.errors import ToolMissing

    with pytest.raises(ToolMissing, match="pip install onnxruntime rapidocr"):
        _metadata_classes(_Session({}))


def test_a_character_list_that_does_not_match_the_model_is_refused() -> None:
    from extract._ppocr import _metadata_classes
    from extract.errors import ToolMissing

    # One character short: every class after the gap would be read as its neighbour.
    with pytest.raises(ToolMissing, match="6 classes but lists 5"):
        _metadata_classes(_Session({"character": "0\n1\n/"}, width=6))


def test_the_line_reader_setting_turns_it_off() -> None:
    from extract.pipeline import line_reader_for
    from extract.settings import ExtractSettings

    assert line_reader_for(ExtractSettings(line_reader="off")) is None
    assert line_reader_for(ExtractSettings(line_reader="paddle")) is not None


def test_an_age_the_line_reader_reads_beats_what_tesseract_could_not_read() -> None:
    from extract.dates import DateKind, parse_date
    from extract.draft import TextField
    from extract.fields import vote_date

    today = dt.date(2026, 1, 15)
    cell = TextField("6 rnas", 0.4, 1, (0, 0, 100, 40))
    voted = vote_date(cell, [("G wos", 0.3), ("6", 0.2)], today, ("6mo", 0.98))
    assert parse_date(voted.text, today).kind is DateKind.AGE


def test_a_full_date_by_line_wins_over_a_date_tesseract_read_twice() -> None:
    from extract.draft import TextField
    from extract.fields import vote_date

    cell = TextField("5/1/2024", 0.9, 1, (0, 0, 100, 40))
    voted = vote_date(cell, [("5/1/2024", 0.8), None], dt.date(2026, 1, 15),
                      ("5/11/2024", 0.7))
    assert voted.text == "5/11/2024"
    # Tesseract's two reads disagree with it: kept, so the date's confidence shows it.
    assert voted.readings == ("5/1/2024", "5/1/2024")


class AgeWrittenAsMonths:
    """A line reader that forces '15 mo' into a month and year, and reads its text right."""

    def read_words(self, image: Gray, request: OcrRequest) -> list[Word]:
        return []

    def read_date_choices(self, images: list[Gray],
                          years: range) -> list[list[tuple[str, float]]]:
        return [[("1.50", 0.3)], [("07/2022", 0.6)], [("3/4/2022", 0.4)]][: len(images)]

    def read_text_lines(self, images: list[Gray]) -> list[tuple[str, float] | None]:
        texts: list[tuple[str, float] | None] = [("15 mo", 0.6), ("07/2022", 0.7), ("4 mo", 0.5)]
        return texts[: len(images)]

    def read_name_lines(self, images: list[Gray], names: Sequence[str],
                        meanings: Sequence[str] | None = None
                        ) -> list[tuple[str, float] | None]:
        return [None for _ in images]


def test_an_age_read_as_text_beats_a_month_and_year_read_from_its_digits() -> None:
    from extract.cells import _by_line
    from extract.draft import PageText
    from extract.page import PageImage

    image = np.full((400, 400), 255, dtype=np.uint8)
    page = PageImage(1, image, 300.0)
    boxes = [(0, 0, 200, 60), (0, 100, 200, 160), (0, 200, 200, 260)]
    choices = _by_line(PageText(page, (), ocr_image=page), boxes, AgeWrittenAsMonths(),
                       dt.date(2026, 1, 15))
    # A month-year read the same as text stays; a full date is not second-guessed by text.
    assert choices == [[("15 mo", 0.6)], [("07/2022", 0.6)], [("3/4/2022", 0.4)]]
