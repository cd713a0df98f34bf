"""The password hasher: Argon2id with parameters at least OWASP's minimum, and old hashes still verify."""

import subprocess
import sys

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password
from django.test import override_settings

from gongzhi.accounts.hashers import OwaspArgon2PasswordHasher
from tests.production import PROJECT, production_env

# OWASP Password Storage Cheat Sheet, Argon2id: the minimum configurations of equal defence, as (memory in
# KiB, iterations), each with 1 degree of parallelism.
OWASP_ARGON2ID_MINIMUMS = [(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)]
PRODUCTION = "gongzhi.accounts.hashers.OwaspArgon2PasswordHasher"


def test_the_configured_parameters_are_at_least_one_of_owasps_minimum_configurations():
    hasher = OwaspArgon2PasswordHasher()
    assert any(hasher.memory_cost >= memory and hasher.time_cost >= iterations
               for memory, iterations in OWASP_ARGON2ID_MINIMUMS)
    assert hasher.parallelism >= 1
    params = hasher.decode(hasher.encode("Gongzhi@2026", hasher.salt()))["params"]
    assert params.type.name == "ID"
    assert (params.memory_cost, params.time_cost, params.parallelism) == (
        hasher.memory_cost, hasher.time_cost, hasher.parallelism)


def test_production_hashes_passwords_with_it(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings; "
            "from django.contrib.auth.hashers import get_hasher; "
            "print(settings.PASSWORD_HASHERS[0], type(get_hasher()).__name__)")
    env = production_env(tmp_path, f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, env=env, check=True,  # noqa: S603
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == [PRODUCTION, "OwaspArgon2PasswordHasher"]


@pytest.mark.django_db
@override_settings(PASSWORD_HASHERS=[PRODUCTION])
def test_a_hash_with_djangos_default_parameters_still_verifies_and_is_rehashed_at_sign_in(django_user_model):
    old = Argon2PasswordHasher().encode("Gongzhi@2026", Argon2PasswordHasher().salt())
    user = django_user_model.objects.create(username="lixiu", password=old)
    assert user.check_password("Gongzhi@2026")
    user.refresh_from_db()
    assert user.password != old and check_password("Gongzhi@2026", user.password)
    params = OwaspArgon2PasswordHasher().decode(user.password)["params"]
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)
    assert not user.check_password("wrong")
