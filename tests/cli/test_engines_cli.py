"""`synthstudio engines`: the deployment's engines with their licences, as a subprocess."""

from __future__ import annotations


def test_engines_lists_each_engine_with_its_licence_and_kinds(cli, editor_token):
    listed = cli("engines", "--json", token=editor_token)
    assert listed.code == 0, listed.stderr
    engines = {engine["name"]: engine for engine in listed.json["engines"]}
    assert engines["sdv"]["licence"] == "BUSL-1.1"
    assert "gaussian_copula" in engines["sdv"]["kinds"]
    # The engine host `make run` started, whether or not it has finished loading yet.
    assert any(name == "tabular_argn" or name.startswith("engine at") for name in engines)
    shown = cli("engines", token=editor_token)
    assert shown.code == 0 and "BUSL-1.1" in shown.stdout
