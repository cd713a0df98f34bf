"""`check --deploy` warns about what made the documented production set-up fail: static files not
collected (every page 500), a cache each worker keeps alone, the proxy not named."""

from django.core.files.storage import storages

from gongzhi.core.checks import shared_cache_in_production, static_files_collected, trusted_proxies_named

MANIFEST = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def _ids(messages) -> list[str]:
    return [m.id for m in messages]


def test_a_missing_static_manifest_is_a_deploy_warning(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    storages._storages.pop("staticfiles", None)
    try:
        assert _ids(static_files_collected(None)) == ["gongzhi.W003"]
        (tmp_path / "staticfiles.json").write_text('{"paths": {}, "version": "1.1", "hash": ""}')
        assert static_files_collected(None) == []
    finally:
        storages._storages.pop("staticfiles", None)


def test_a_cache_of_one_process_is_a_deploy_warning(settings):
    settings.DEBUG = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert _ids(shared_cache_in_production(None)) == ["gongzhi.W004"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/1"}}
    assert shared_cache_in_production(None) == []


def test_unnamed_proxies_are_a_deploy_warning(settings):
    settings.DEBUG = False
    settings.GONGZHI_TRUSTED_PROXIES = []
    assert _ids(trusted_proxies_named(None)) == ["gongzhi.W005"]
    settings.GONGZHI_TRUSTED_PROXIES = ["127.0.0.1"]
    assert trusted_proxies_named(None) == []
