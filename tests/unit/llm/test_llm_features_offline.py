"""Each of the eleven features through the offline provider, on real profiles: the answers
must conform to the feature's schema and carry content derived from the inputs."""

from __future__ import annotations

import pytest

from synthstudio_libs.errors import InvalidInput
from synthstudio_llm.assistant import Assistant
from synthstudio_llm.features import (
    FEATURES,
    AnswerQuestionRequest,
    ClassifyColumnsRequest,
    ComplianceReportRequest,
    DataDictionaryRequest,
    DetectAnomaliesRequest,
    ExplainEvaluationRequest,
    ExplainPrivacyRiskRequest,
    Goal,
    ProposeConstraintsRequest,
    Regulation,
    SchemaFromDescriptionRequest,
    SuggestSynthesizerRequest,
    TranslateArtifactRequest,
    TranslationMode,
)
from synthstudio_llm.json_schema import validate
from synthstudio_llm.profiles import (
    AnonymizationAction,
    ColumnKind,
    ColumnProfile,
    ColumnTreatment,
    ConstraintViolation,
    DatasetProfile,
    DpBudget,
    DpLedgerEntry,
    PiiFinding,
    PrivacyRiskScore,
    Relationship,
    TableProfile,
    ValueFrequency,
)
from synthstudio_llm.redaction import RegexRedactor
from tests.unit.llm.conftest import CUSTOMER_EMAILS, CUSTOMER_NAMES


@pytest.fixture(scope="module")
def offline() -> Assistant:
    return Assistant([], RegexRedactor())


def answer(assistant: Assistant, request: object) -> dict:
    generation = assistant.generate(request)
    assert generation.provider == "offline"
    assert validate(generation.output, FEATURES[generation.feature].output_schema) == []
    return generation.output


def test_schema_from_description_reads_fields_types_and_ranges(offline):
    output = answer(
        offline,
        SchemaFromDescriptionRequest(
            "A customer table with customer id, full name, e-mail, signup date, country, age "
            "between 18 and 99, monthly spend in euros, loyalty tier (bronze, silver or gold) "
            "and whether they opted in to marketing (optional)."
        ),
    )
    columns = {column["name"]: column for column in output["columns"]}
    assert output["table_name"] == "customer"
    assert output["primary_key"] == "customer_id"
    assert columns["customer_id"]["type"] == "id"
    assert columns["signup_date"]["type"] == "datetime"
    assert "between 18 and 99" in columns["age"]["constraints"]
    assert columns["monthly_spend"]["type"] == "numerical"
    assert "euros" in columns["monthly_spend"]["description"]
    assert columns["loyalty_tier"]["example_values"] == ["bronze", "silver", "gold"]
    assert columns["opted_in_marketing"]["type"] == "boolean"
    assert columns["opted_in_marketing"]["nullable"] is True
    assert "valid e-mail address" in columns["email"]["constraints"]


def test_schema_from_description_adds_a_key_when_none_is_described(offline):
    output = answer(offline, SchemaFromDescriptionRequest("An orders table with amount, status"))
    assert output["primary_key"] == "orders_id"
    assert output["columns"][0]["name"] == "orders_id"
    assert any("primary key" in note for note in output["notes"])


def test_blank_description_is_refused_with_the_field_named(offline):
    with pytest.raises(InvalidInput) as caught:
        offline.generate(SchemaFromDescriptionRequest("   "))
    assert caught.value.violations[0].field == "description"


def test_explain_evaluation_names_weakest_columns_with_profile_reasons(
    offline, cps_report, cps_profile
):
    output = answer(offline, ExplainEvaluationRequest(cps_report, cps_profile, weakest_count=2))
    weakest = output["weakest_columns"]
    assert [item["column"] for item in weakest] == ["wage", "experience"]
    # CPS1988 wages run to 18,777 against a mean near 604: the long tail is the reason given.
    assert "long right tail" in weakest[0]["why"]
    assert any("'wage': 'gamma'" in step for step in weakest[0]["what_to_try"])
    assert output["quality"] == "fair"
    assert output["weakest_pairs"][0]["columns"] == ["wage", "education"]
    assert any("single-column distributions" in step for step in output["next_steps"])
    assert any("inference" in step for step in output["next_steps"])


def test_compliance_report_flags_kept_pii_and_high_risk(offline):
    request = ComplianceReportRequest(
        regulation=Regulation.HIPAA,
        dataset_id="ds_patients",
        dataset_name="patients",
        pii_findings=(
            PiiFinding("patient_name", "PERSON", 0.98),
            PiiFinding("phone", "PHONE_NUMBER", 0.95),
            PiiFinding("email", "EMAIL_ADDRESS", 0.99),
        ),
        treatments=(
            ColumnTreatment("patient_name", AnonymizationAction.PSEUDONYMISE),
            ColumnTreatment("phone", AnonymizationAction.KEEP),
            ColumnTreatment("email", AnonymizationAction.HASH),
        ),
        dp_ledger=(DpLedgerEntry("syn_1", 1.5, 1e-5, "DP-SGD", "2026-11-20T10:00:00Z"),),
        dp_budget=DpBudget(total_epsilon=4.0, spent_epsilon=1.5, delta=1e-5),
        privacy_risks=(
            PrivacyRiskScore("linkability", 0.31),
            PrivacyRiskScore("singling_out", 0.01),
        ),
        synthesizer="ctgan",
    )
    output = answer(offline, request)
    status = {item["column"]: item["status"] for item in output["pii_inventory"]}
    assert status == {
        "patient_name": "addressed",
        "phone": "needs_attention",
        "email": "needs_attention",
    }
    assert "Safe Harbor" in next(
        i["note"] for i in output["pii_inventory"] if i["column"] == "phone"
    )
    assert output["differential_privacy"]["epsilon_spent"] == 1.5
    assert "budget of 4" in output["differential_privacy"]["note"]
    assert {r["metric"]: r["rating"] for r in output["residual_risks"]} == {
        "linkability": "high",
        "singling_out": "low",
    }
    assert len(output["open_issues"]) == 3
    assert "164.514" in " ".join(section["body"] for section in output["sections"])
    assert "3 open issue(s)" in output["executive_summary"]


def test_compliance_report_needs_findings_or_risks(offline):
    with pytest.raises(InvalidInput, match="scan the dataset"):
        offline.generate(ComplianceReportRequest(Regulation.GDPR, "ds_1", "empty"))


def test_suggest_synthesizer_for_real_wage_table(offline, cps_dataset):
    output = answer(offline, SuggestSynthesizerRequest(cps_dataset, goal=Goal.FIDELITY))
    assert output["synthesizer"] == "ctgan"
    assert output["hyperparameters"]["epochs"] == 300  # 28,155 rows
    assert output["hyperparameters"]["batch_size"] % 10 == 0
    assert any("28,155 rows" in reason for reason in output["reasons"])
    assert output["differential_privacy"] is None


def test_suggest_synthesizer_speed_picks_copula_with_marginals(offline, cps_dataset):
    output = answer(offline, SuggestSynthesizerRequest(cps_dataset, goal=Goal.SPEED))
    assert output["synthesizer"] == "gaussian_copula"
    assert output["hyperparameters"]["numerical_distributions"]["wage"] == "gamma"


def test_suggest_synthesizer_with_dp_and_multi_table(offline, cps_dataset):
    private = answer(
        offline,
        SuggestSynthesizerRequest(cps_dataset, differential_privacy=True, epsilon_budget=2.0),
    )
    assert private["differential_privacy"]["epsilon"] == 2.0
    assert private["differential_privacy"]["delta"] < 1 / 28155

    def table(name: str) -> TableProfile:
        return TableProfile(name, 100, (ColumnProfile(f"{name}_id", ColumnKind.ID),))

    nested = DatasetProfile(
        "ds_flights",
        tables=(table("airlines"), table("flights"), table("legs")),
        relationships=(
            Relationship("airlines", "airlines_id", "flights", "airlines_id"),
            Relationship("flights", "flights_id", "legs", "flights_id"),
        ),
    )
    multi = answer(offline, SuggestSynthesizerRequest(nested))
    assert multi["synthesizer"] == "hma"
    assert any("grandchild" in warning for warning in multi["warnings"])


def test_explain_privacy_risk_rates_and_mitigates(offline, cps_report):
    output = answer(
        offline,
        ExplainPrivacyRiskRequest(
            "ds_cps1988", cps_report.privacy_risks, quasi_identifiers=("region", "education")
        ),
    )
    by_metric = {item["metric"]: item for item in output["metrics"]}
    assert output["overall_rating"] == "high"
    assert by_metric["singling_out"]["rating"] == "low"
    assert "'wage'" in by_metric["inference"]["interpretation"]
    assert "region, education" in by_metric["inference"]["mitigations"][0]
    assert "inference at 0.240" in output["summary"]


def test_classify_columns_uses_names_values_and_findings(offline, customers_profile):
    output = answer(
        offline,
        ClassifyColumnsRequest(
            "ds_customers", customers_profile, (PiiFinding("notes", "PERSON", 0.6),)
        ),
    )
    by_column = {item["column"]: item for item in output["columns"]}
    assert by_column["full_name"]["semantic_type"] == "person_name"
    assert by_column["contact"]["semantic_type"] == "email"  # found from its values
    assert by_column["contact"]["is_pii"] is True
    assert by_column["age"]["quasi_identifier"] is True
    assert by_column["customer_id"]["semantic_type"] == "identifier"
    assert "PII scan found PERSON" in by_column["notes"]["reason"]


def test_detect_anomalies_between_real_and_synthetic(offline):
    real = TableProfile(
        "orders",
        1000,
        (
            ColumnProfile("amount", ColumnKind.NUMERICAL, minimum=0, maximum=500, mean=80, std=40),
            ColumnProfile(
                "status",
                ColumnKind.CATEGORICAL,
                distinct_count=4,
                top_values=(
                    ValueFrequency("paid", 0.6),
                    ValueFrequency("shipped", 0.25),
                    ValueFrequency("refunded", 0.1),
                    ValueFrequency("lost", 0.05),
                ),
            ),
        ),
    )
    synthetic = TableProfile(
        "orders",
        1000,
        (
            ColumnProfile(
                "amount", ColumnKind.NUMERICAL, minimum=-35, maximum=510, mean=82, std=41
            ),
            ColumnProfile(
                "status",
                ColumnKind.CATEGORICAL,
                distinct_count=1,
                top_values=(ValueFrequency("paid", 1.0),),
            ),
        ),
    )
    output = answer(
        offline,
        DetectAnomaliesRequest(
            "ds_orders",
            "syn_orders",
            real,
            synthetic,
            (ConstraintViolation("ship_date >= order_date", ("order_date", "ship_date"), 0.04),),
        ),
    )
    kinds = {(item["column"], item["kind"]) for item in output["anomalies"]}
    assert ("amount", "out_of_range") in kinds
    assert ("status", "collapsed_category") in kinds
    assert ("status", "missing_category") in kinds
    assert ("order_date, ship_date", "broken_constraint") in kinds
    out_of_range = next(i for i in output["anomalies"] if i["kind"] == "out_of_range")
    assert (
        "-35" in out_of_range["detail"] and "enforce_min_max_values" in out_of_range["suggestion"]
    )


def test_data_dictionary_describes_values_but_withholds_personal_data(
    offline, cps_profile, customers_profile
):
    dataset = DatasetProfile("ds_mixed", (cps_profile, customers_profile))
    output = answer(offline, DataDictionaryRequest(dataset))
    tables = {table["table"]: table for table in output["tables"]}
    cps = {column["column"]: column for column in tables["cps1988"]["columns"]}
    assert "28,155 rows" in tables["cps1988"]["description"]
    assert cps["region"]["values"].startswith("most frequent: south")
    assert "from 50.05 to 18777.2" in cps["wage"]["values"]
    customers = {column["column"]: column for column in tables["customers"]["columns"]}
    assert customers["full_name"]["pii"] is True
    assert "withheld" in customers["full_name"]["values"]
    text = str(output)
    assert not any(name in text for name in CUSTOMER_NAMES)
    assert not any(email in text for email in CUSTOMER_EMAILS)


def test_answer_question_from_profile_and_report(offline, cps_dataset, cps_report):
    def ask(question: str) -> dict:
        return answer(offline, AnswerQuestionRequest(question, cps_dataset, cps_report))

    assert "28,155 rows" in ask("How many rows does it have?")["answer"]
    wage = ask("What is the range of wage?")
    assert "max 18777.2" in wage["answer"] and wage["confidence"] == "high"
    assert "0.71" in ask("What is the overall quality score?")["answer"]
    assert "inference" in ask("Is the privacy risk acceptable?")["answer"]
    assert "south" in ask("Which values does region take?")["answer"]
    assert ask("Who wrote this dataset?")["confidence"] == "low"


def test_propose_constraints_from_real_profile(offline, cps_profile):
    output = answer(offline, ProposeConstraintsRequest("ds_cps1988", cps_profile))
    rules = output["constraints"]
    bounds = {rule["columns"][0]: rule for rule in rules if rule["kind"] == "bounds"}
    assert bounds["education"]["parameters"] == {"minimum": 0.0, "maximum": 18.0}
    assert "never negative" in bounds["wage"]["rationale"]
    allowed = {rule["columns"][0]: rule for rule in rules if rule["kind"] == "allowed_values"}
    assert sorted(allowed["region"]["parameters"]["values"]) == [
        "midwest",
        "northeast",
        "south",
        "west",
    ]
    not_null = next(rule for rule in rules if rule["kind"] == "not_null")
    assert len(not_null["columns"]) == 7


def test_propose_constraints_finds_ordered_date_pairs(offline):
    table = TableProfile(
        "stays",
        200,
        (
            ColumnProfile("stay_id", ColumnKind.ID, distinct_count=200),
            ColumnProfile("checkin_date", ColumnKind.DATETIME, earliest="2024-01-01"),
            ColumnProfile("checkout_date", ColumnKind.DATETIME, earliest="2024-01-02"),
        ),
        primary_key="stay_id",
    )
    output = answer(offline, ProposeConstraintsRequest("ds_stays", table))
    inequality = next(rule for rule in output["constraints"] if rule["kind"] == "inequality")
    assert inequality["sdv_constraint"] == "Inequality"
    assert inequality["parameters"] == {
        "low_column_name": "checkin_date",
        "high_column_name": "checkout_date",
    }
    assert any(
        rule["kind"] == "unique" and rule["columns"] == ["stay_id"]
        for rule in output["constraints"]
    )


def test_translate_offline_is_a_labelled_english_summary(offline, cps_report, cps_profile):
    explained = offline.generate(ExplainEvaluationRequest(cps_report, cps_profile)).output
    output = answer(
        offline,
        TranslateArtifactRequest(
            "art_1", "explain_evaluation", explained, "fr", TranslationMode.TRANSLATE, max_points=4
        ),
    )
    assert output["translated"] is False
    assert output["target_language"] == "fr"
    assert "French (fr)" in output["note"]
    assert output["summary"].startswith("Overall quality is fair (0.71).")
    assert output["key_points"][0].startswith("wage: The synthetic distribution of 'wage'")
    assert len(output["key_points"]) == 4


def test_translate_refuses_a_bad_language_tag(offline):
    with pytest.raises(InvalidInput) as caught:
        offline.generate(TranslateArtifactRequest("art_1", "x", {"summary": "Hi."}, "French!"))
    assert caught.value.metadata == {"target_language": "French!"}
