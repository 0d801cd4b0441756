"""Settings precedence: defaults < settings.yaml < environment < flags; bad files are named."""

import pytest

from firewatch.core.settings import SettingsError, load_settings


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    for name in ("FIREWATCH_HOME", "FIREWATCH_DB", "FIREWATCH_CONFIG", "FIREWATCH_CLAIM_MINUTES"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "config"
    folder.mkdir()
    return folder


def test_defaults(config_dir, monkeypatch):
    monkeypatch.chdir(config_dir.parent)
    settings = load_settings()
    assert str(settings.home) == "var"
    assert settings.database_url == "sqlite:///var/firewatch.db"
    assert settings.claim_minutes == 15


def test_file_overrides_defaults(config_dir):
    (config_dir / "settings.yaml").write_text("claim_minutes: 30\nhome: /srv/fw\n", encoding="utf-8")
    settings = load_settings(config=config_dir)
    assert settings.claim_minutes == 30
    assert settings.database_url == "sqlite:////srv/fw/firewatch.db"


def test_environment_overrides_file(config_dir, monkeypatch):
    (config_dir / "settings.yaml").write_text("claim_minutes: 30\n", encoding="utf-8")
    monkeypatch.setenv("FIREWATCH_CONFIG", str(config_dir))
    monkeypatch.setenv("FIREWATCH_CLAIM_MINUTES", "45")
    assert load_settings().claim_minutes == 45


def test_flags_override_environment(config_dir, monkeypatch):
    monkeypatch.setenv("FIREWATCH_DB", "sqlite:///from-env.db")
    assert load_settings(db="sqlite:///from-flag.db").database_url == "sqlite:///from-flag.db"


def test_unknown_key_is_named(config_dir):
    (config_dir / "settings.yaml").write_text("claim_minutess: 30\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="claim_minutess"):
        load_settings(config=config_dir)


def test_broken_yaml_names_the_file(config_dir):
    (config_dir / "settings.yaml").write_text("claim_minutes: [30\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="settings.yaml"):
        load_settings(config=config_dir)


def test_invalid_value_is_refused(config_dir):
    (config_dir / "settings.yaml").write_text("claim_minutes: -3\n", encoding="utf-8")
    with pytest.raises(ValueError, match="claim_minutes"):
        load_settings(config=config_dir)
