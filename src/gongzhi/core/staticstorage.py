"""The static files storages of settings.STORAGES, each working out a file's URL once.

Every page names the same few stylesheets and scripts (base.html's ``{% static %}`` tags): working out a
URL (the manifest's hashed name, the prefix joined and quoted) costs some 30 µs each time, for a result that
only changes with the deployment's files, that is with a new process, or with a new storage (Django makes
one again when a test changes STORAGES, STATIC_URL or STATIC_ROOT). ``collectstatic`` forgets what it
remembered, as it writes a new manifest."""

from django.conf import settings
from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class RememberingStaticFilesStorage(StaticFilesStorage):
    """Django's storage for development and tests (the files as they are in the source tree)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name):
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url


class RememberingManifestStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage for production (hashed names from the manifest, compressed copies). Django's
    manifest storage names the unhashed file while DEBUG is on: the URL is remembered for each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        key = (name, settings.DEBUG)
        url = self._urls.get(key)
        if url is None:
            url = self._urls[key] = super().url(name)
        return url

    def post_process(self, *args, **kwargs):
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
