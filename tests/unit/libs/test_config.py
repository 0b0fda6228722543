import pytest

from synthstudio_libs.config import ConfigError, load_settings


def test_defaults_run_everything_locally(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = load_settings()
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.resolved_database_url.endswith("synthstudio.db")
    assert settings.service_addr("pii") == "127.0.0.1:50054"
    assert settings.gateway_port == 8000
    assert settings.job_backend == "inprocess"


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("SYNTHSTUDIO_SYNTHESIS_PORT", "6001")
    monkeypatch.setenv("SYNTHSTUDIO_DATABASE_URL", "postgresql+psycopg://u@db:5432/x")
    settings = load_settings()
    assert settings.synthesis_port == 6001
    assert settings.resolved_database_url == "postgresql+psycopg://u@db:5432/x"


def test_a_bad_value_fails_fast_naming_the_variable(monkeypatch):
    monkeypatch.setenv("SYNTHSTUDIO_GATEWAY_PORT", "not-a-port")
    with pytest.raises(ConfigError, match="SYNTHSTUDIO_GATEWAY_PORT"):
        load_settings()


def test_an_out_of_range_value_is_refused(monkeypatch):
    monkeypatch.setenv("SYNTHSTUDIO_JOB_WORKERS", "0")
    with pytest.raises(ConfigError, match="SYNTHSTUDIO_JOB_WORKERS"):
        load_settings()


def test_env_example_lists_every_setting_with_its_default():
    from pathlib import Path

    from synthstudio_libs.config import Settings

    text = (Path(__file__).parents[3] / ".env.example").read_text()
    for name, field in Settings.model_fields.items():
        default = "" if field.default is None else field.default
        assert f"SYNTHSTUDIO_{name.upper()}={default}\n" in text + "\n", name
