"""Target options and profiles: each mistake is one error naming the option or field."""

from __future__ import annotations

from pathlib import Path

import pytest

from comprehend_contract.options import Settings
from comprehend_contract.targets import TargetError, load_profile, resolve_target
from comprehend_contract.targets.resolve import ExternalTarget


def values(**given: object) -> dict[str, object]:
    return Settings.read(given.get, environ={}).target_values()


def test_default_target_is_the_embedded_reference() -> None:
    target = resolve_target(values())
    assert target.name == "reference"
    assert target.embedded


def test_endpoint_url_target_needs_credentials_bucket_and_role() -> None:
    with pytest.raises(TargetError, match="--access-key-id"):
        resolve_target(values(endpoint_url="http://127.0.0.1:4566"))
    target = resolve_target(
        values(
            endpoint_url="http://127.0.0.1:4566",
            access_key_id="AKIA",
            secret_access_key="s3cr3t-value",
            bucket="bucket-name",
            role_arn="arn:aws:iam::123456789012:role/x",
        )
    )
    assert isinstance(target, ExternalTarget)
    assert target.profile.s3_endpoint_url == "http://127.0.0.1:4566"
    assert "s3cr3t-value" not in repr(target.profile)


def test_second_account_keys_go_together() -> None:
    with pytest.raises(TargetError, match="go together"):
        resolve_target(
            values(
                endpoint_url="http://127.0.0.1:4566",
                access_key_id="A",
                secret_access_key="S",
                bucket="bucket-name",
                role_arn="arn:aws:iam::123456789012:role/x",
                second_access_key_id="B",
            )
        )


def test_profile_reads_secrets_from_named_environment_variables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MY_KEY", "AKIAFROMENV")
    monkeypatch.setenv("MY_SECRET", "secret-from-env")
    path = tmp_path / "clone.toml"
    path.write_text(
        'endpoint_url = "http://127.0.0.1:4566"\nregion = "eu-west-1"\n'
        '[credentials]\naccess_key_id_env = "MY_KEY"\nsecret_access_key_env = "MY_SECRET"\n'
        '[s3]\nbucket = "bucket-name"\nrole_arn = "arn:aws:iam::123456789012:role/x"\n'
        "[budgets]\njob_timeout_seconds = 30\n",
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.name == "clone"
    assert profile.credentials.access_key_id == "AKIAFROMENV"
    assert profile.secrets() == ("secret-from-env",)
    assert profile.budgets.job_timeout_seconds == 30
    monkeypatch.delenv("MY_SECRET")
    with pytest.raises(TargetError, match=r"secret_access_key_env: environment variable MY_SECRET is not set"):
        load_profile(path)


def test_profile_target_refuses_command_line_overrides(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="set it in the profile"):
        resolve_target(values(target=str(tmp_path / "x.toml"), bucket="other"))


def test_a_misspelt_profile_key_is_one_error_that_names_the_likely_key(tmp_path: Path) -> None:
    path = tmp_path / "typo.toml"
    path.write_text(
        'endpoint_url = "http://127.0.0.1:4566"\nregion = "eu-west-1"\n'
        '[credentials]\naccess_key_id = "A"\nsecret_access_key = "S"\n'
        '[s3]\nbucket = "bucket-name"\nrole_arn = "arn:aws:iam::123456789012:role/x"\n'
        "[budgets]\njob_timout_seconds = 30\n",
        encoding="utf-8",
    )
    with pytest.raises(TargetError, match=r"field budgets: .*'job_timout_seconds' -> 'job_timeout_seconds'\?\)$"):
        load_profile(path)
