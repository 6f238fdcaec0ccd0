"""The vendored CDSi supporting data: loaded, typed, validated; a broken file is named."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from engine.cdsi.schema import SeriesType
from engine.cdsi.supporting_data import (
    canonical_cvx,
    data_dir,
    load_supporting_data,
    read_supporting_data,
)
from engine.dates import Offset
from engine.errors import DataError


def test_the_ten_antigens_of_the_six_groups_are_loaded() -> None:
    data = load_supporting_data()
    assert data.release == "4.64"
    assert set(data.antigens) == {
        "Diphtheria", "Tetanus", "Pertussis", "Polio", "Measles", "Mumps", "Rubella",
        "Varicella", "HepB", "Hib",
    }
    assert data.schedule.vaccine_groups["DTaP/Tdap/Td"].administer_full_group is False
    assert data.schedule.vaccine_groups["MMR"].administer_full_group is True


def test_series_doses_carry_ages_intervals_and_vaccines() -> None:
    polio = load_supporting_data().antigens["Polio"]
    series = next(s for s in polio.series if s.default)
    assert series.series_type is SeriesType.STANDARD
    first, second = series.doses[0], series.doses[1]
    assert first.ages[0].abs_min == Offset(weeks=6, days=-4)
    assert first.ages[0].min == Offset(weeks=6)
    assert second.intervals[0].from_previous and second.intervals[0].min == Offset(weeks=4)
    assert "10" in {v.cvx for v in first.preferable}
    assert "182" in first.inadvertent


def test_the_cvx_map_and_live_virus_conflicts() -> None:
    schedule = load_supporting_data().schedule
    assert {a.antigen for a in schedule.cvx_map["94"].associations} == {
        "Measles", "Mumps", "Rubella", "Varicella"
    }
    mmr_after_var = [c for c in schedule.conflicts_by_current["03"] if c.previous_cvx == "21"]
    assert mmr_after_var and mmr_after_var[0].end == Offset(days=28)


def test_hepb_third_dose_has_an_interval_from_target_dose_one() -> None:
    hepb = load_supporting_data().antigens["HepB"]
    third = next(s for s in hepb.series if s.default).doses[2]
    assert {i.from_target_dose for i in third.intervals} >= {1}


def test_a_new_release_is_a_folder(tmp_path: Path) -> None:
    shutil.copytree(data_dir() / "cdsi-4.64", tmp_path / "cdsi-next")
    data = read_supporting_data(
        tmp_path / "cdsi-next", release="next", group_names={"Polio": "Polio"}
    )
    assert set(data.antigens) == {"Polio"} and data.release == "next"


def test_a_broken_file_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "broken"
    shutil.copytree(data_dir() / "cdsi-4.64", folder)
    path = folder / "AntigenSupportingData- Polio-508.xml"
    text = path.read_text().replace("<absMinAge>6 weeks - 4 days", "<absMinAge>six weeks", 1)
    path.write_text(text)
    with pytest.raises(DataError, match="Polio-508.xml"):
        read_supporting_data(folder, release="x", group_names={"Polio": "Polio"})


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="ScheduleSupportingData.xml"):
        read_supporting_data(tmp_path, release="x", group_names={"Polio": "Polio"})


@pytest.mark.parametrize(("code", "canonical"), [("3", "03"), ("03", "03"), ("110", "110")])
def test_canonical_cvx(code: str, canonical: str) -> None:
    assert canonical_cvx(code) == canonical


def test_canonical_cvx_refuses_words() -> None:
    with pytest.raises(ValueError, match="number"):
        canonical_cvx("DTaP")
