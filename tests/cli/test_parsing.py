"""What the command line and the SDK make of their inputs, before anything is sent."""

from __future__ import annotations

import pytest

from synthstudio.common.v1 import job_pb2
from synthstudio.llm.v1 import llm_service_pb2 as llm_pb
from synthstudio.synthesis.v1 import synthesis_service_pb2 as synthesis_pb
from synthstudio_cli.commands import feature_inputs, parse_condition
from synthstudio_cli.main import build_parser
from synthstudio_sdk import Between, Endpoints, UsageError
from synthstudio_sdk.client import sample_conditions
from synthstudio_sdk.jobs import progress_line
from synthstudio_sdk.messages import message_from, to_dict


def test_a_url_names_every_service():
    assert Endpoints.from_url("studio.example.org") == Endpoints(
        "studio.example.org:50051",
        "studio.example.org:50052",
        "studio.example.org:50053",
        "studio.example.org:50054",
        "studio.example.org:50055",
    )
    shifted = Endpoints.from_url("grpc://10.1.2.3:6000")
    assert (shifted.synthesis, shifted.llm, shifted.tls) == (
        "10.1.2.3:6000",
        "10.1.2.3:6004",
        False,
    )
    secure = Endpoints.from_url("grpcs://studio.example.org:7443")
    assert (secure.pii, secure.tls) == ("studio.example.org:7446", True)
    assert Endpoints.from_url("[::1]:7000").evaluation == "[::1]:7001"
    for bad in ("ftp://host", "host:notaport", "grpc://host/path", "host:65533"):
        with pytest.raises(UsageError):
            Endpoints.from_url(bad)


def test_a_gateway_url_is_refused_not_mapped_to_other_ports():
    # It once became the default gRPC ports on that host, which may be another deployment's.
    for url in ("http://studio.example.org:8080", "https://studio.example.org", "http://h"):
        with pytest.raises(UsageError, match="REST address") as refused:
            Endpoints.from_url(url)
        assert "grpc" in str(refused.value) and "SYNTHSTUDIO_<SERVICE>_ADDR" in str(refused.value)


def test_without_a_url_the_services_own_variables_apply():
    env = {"SYNTHSTUDIO_PII_ADDR": "pii.internal:9000"}
    resolved = Endpoints.resolve(None, env)
    assert resolved.pii == "pii.internal:9000" and resolved.synthesis == "127.0.0.1:50051"


def test_a_url_and_a_variable_that_disagree_are_refused():
    env = {"SYNTHSTUDIO_PII_ADDR": "pii.internal:9000"}
    with pytest.raises(UsageError, match="SYNTHSTUDIO_PII_ADDR is pii.internal:9000"):
        Endpoints.resolve(None, {**env, "SYNTHSTUDIO_URL": "h"})
    with pytest.raises(UsageError, match="--url other puts pii at other:50054"):
        Endpoints.resolve("other", env)
    agreeing = {"SYNTHSTUDIO_PII_ADDR": "other:50054"}
    assert Endpoints.resolve("other", agreeing).pii == "other:50054"


def test_conditions_are_values_or_ranges():
    assert parse_condition("country=FR") == ("country", "FR")
    assert parse_condition("age=30") == ("age", 30)
    assert parse_condition('zip="007"') == ("zip", "007")
    assert parse_condition("member=true") == ("member", True)
    assert parse_condition("age=18..65") == ("age", Between(18.0, 65.0))
    assert parse_condition("income=..1e5") == ("income", Between(None, 100000.0))
    assert parse_condition("note=a..b") == ("note", "a..b")
    for bad in ("age", "=3", "age=.."):
        with pytest.raises(UsageError):
            parse_condition(bad)
    converted = sample_conditions([("age", Between(18, None)), ("country", "FR")])
    assert converted[0].between.low == 18 and not converted[0].between.HasField("high")
    assert converted[1].equals.string_value == "FR"


def test_assistant_inputs_are_typed_by_the_feature():
    inputs = feature_inputs(
        "compliance-report",
        ["dataset_id=ds_1", "regulation=gdpr", 'treatments={"column": "email", "action": "drop"}'],
        None,
    )
    message = message_from(llm_pb.ComplianceReportInput, inputs)
    assert message.regulation == llm_pb.REGULATION_GDPR
    assert message.treatments[0].action == llm_pb.ANONYMIZATION_ACTION_DROP
    risk = feature_inputs(
        "explain_privacy_risk", ["quasi_identifiers=age,zip", "dp_epsilon=2"], None
    )
    assert risk == {"quasi_identifiers": ["age", "zip"], "dp_epsilon": 2.0}
    with pytest.raises(UsageError, match="no field"):
        feature_inputs("data_dictionary", ["colour=blue"], None)
    with pytest.raises(UsageError, match="unknown Regulation"):
        message_from(llm_pb.ComplianceReportInput, {"regulation": "pdpa"})


def test_hyperparameters_and_json_output():
    message = message_from(
        synthesis_pb.CtganHyperparameters, {"epochs": 5, "generator-dim": [64, 64]}
    )
    assert message.epochs == 5 and list(message.generator_dim) == [64, 64]
    dataset = synthesis_pb.Dataset(id="ds_1", row_count=28155)
    dataset.metadata.update({"rows": 3})
    assert to_dict(dataset) == {"id": "ds_1", "row_count": 28155, "metadata": {"rows": 3}}


def test_global_options_go_before_or_after_the_command():
    parser = build_parser()
    before = parser.parse_args(["--json", "--url", "h", "datasets", "list"])
    after = parser.parse_args(["datasets", "list", "--json", "--url", "h"])
    neither = parser.parse_args(["datasets", "list"])
    assert (before.json, before.url) == (after.json, after.url) == (True, "h")
    assert (neither.json, neither.url) == (False, None)


@pytest.mark.parametrize(
    ("state", "seconds_left", "line"),
    [
        (job_pb2.JOB_STATE_RUNNING, None, "epoch 3/10"),
        (job_pb2.JOB_STATE_RUNNING, 45, "epoch 3/10 · about 45 s left"),
        (job_pb2.JOB_STATE_RUNNING, 610, "epoch 3/10 · about 10 min left"),
        (job_pb2.JOB_STATE_SUCCEEDED, 45, "epoch 3/10"),
    ],
)
def test_the_progress_bar_says_how_long_a_job_still_needs(state, seconds_left, line):
    job = job_pb2.Job(state=state, message="epoch 3/10")
    if seconds_left is not None:
        job.details.update({"seconds_left": seconds_left})
    assert progress_line(job) == line
