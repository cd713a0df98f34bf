"""``gongzhi keys``: the keys that seal personal data (docs/security.md, "Encryption at rest").

* ``keys generate [--file PATH]`` — a new key file (an index key and data key 1);
* ``keys add-version --file PATH`` — one more data key version in the file, the old ones kept;
* ``keys status`` — which key versions the stored values use, and which may be retired;
* ``keys rotate [--now]`` — reseal every value under the newest key, in batches, as a background task
  (``--now``: here, printing progress); resumable, while the site runs;
* ``keys retire --file PATH --version N`` — remove a version from the file once no value uses it.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongzhi.core import crypto, keys


class Command(BaseCommand):
    help = "Generate, inspect and rotate the keys that seal personal data."
    requires_system_checks = []  # a missing key file is what ``generate`` is for

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        generate = sub.add_parser("generate", help="Write a new key file (or print it).")
        generate.add_argument("--file", help="Where to write it (refused when the file exists).")
        add = sub.add_parser("add-version", help="Add a data key version to a key file.")
        add.add_argument("--file", required=True)
        sub.add_parser("status", help="Which key versions the stored values use.")
        rotate = sub.add_parser("rotate", help="Reseal every value under the newest key.")
        rotate.add_argument("--now", action="store_true", help="Here and now, not as a background task.")
        retire = sub.add_parser("retire", help="Remove an unused key version from a key file.")
        retire.add_argument("--file", required=True)
        retire.add_argument("--version", type=int, required=True)

    def handle(self, *args, action, **options):
        getattr(self, "do_" + action.replace("-", "_"))(**options)

    def do_generate(self, file=None, **options):
        text = crypto.generate_keys()
        if not file:
            self.stdout.write(text)
            return
        path = Path(file)
        if path.exists():
            raise CommandError(f"{path} exists: a key file is never overwritten (its keys would be lost).")
        _write_private(path, text)
        self.stdout.write(f"Keys written to {path}. Back this file up now, apart from the database backups: "
                          "without it the encrypted data cannot be read.")

    def do_add_version(self, file, **options):
        path = Path(file)
        text = crypto.add_version(path.read_text())
        _write_private(path, text, replace=True)
        ring = crypto.parse_keys(text)
        self.stdout.write(f"Data key version {ring.current} added to {path} (older versions kept). Back the file up, "
                          "restart every process, then run `gongzhi keys rotate`.")

    def do_status(self, **options):
        crypto.reset()
        ring = crypto.keyring()
        report = keys.status()
        self.stdout.write(f"Cipher: {ring.cipher} (new values sealed as {ring.prefix}); key versions held: "
                          f"{', '.join(str(v) for v in sorted(ring.keys))}; keys from {ring.source}")
        for column, counts in report.items():
            shown = ", ".join(f"{key}: {n}" for key, n in sorted(counts.items())) or "empty"
            self.stdout.write(f"  {column}: {shown}")
        used = keys.versions_in_use(report)
        stale = keys.stale_count(report, ring)
        self.stdout.write(f"In use: {', '.join(f'{k} ({n})' for k, n in sorted(used.items())) or 'nothing'}")
        unused = [v for v in sorted(ring.keys) if v != ring.current
                  and not any(k[1:] == str(v) for k in used)]
        if stale:
            self.stdout.write(f"{stale} values are not on {ring.prefix}: run `gongzhi keys rotate`.")
        if unused:
            self.stdout.write(f"Versions no value uses (may be retired after a backup): {unused}")

    def do_rotate(self, now=False, **options):
        crypto.reset()
        if now:
            def progress(label, n):
                self.stdout.write(f"  {label}: {n} rows")

            done = keys.rotate(progress=progress)
            left = keys.stale_count(keys.status())
            self.stdout.write(f"Rotation done: {done}; values left on an old key: {left}")
            if left:
                raise CommandError("Some values were written meanwhile on an old key: run the rotation again.")
            return
        job = keys.start_rotation()
        self.stdout.write(f"Rotation queued as job {job.pk}; the background worker (`gongzhi db_worker`) carries it "
                          "out. `gongzhi keys status` shows what is left.")

    def do_retire(self, file, version, **options):
        path = Path(file)
        ring = crypto.parse_keys(path.read_text())
        if version == ring.current:
            raise CommandError("The newest version seals new values: it cannot be retired.")
        if version not in ring.keys:
            raise CommandError(f"The file holds no version {version}.")
        crypto.reset()
        used = keys.versions_in_use(keys.status())
        if any(key[1:] == str(version) for key in used):
            raise CommandError(f"Values still use version {version}: run `gongzhi keys rotate` first.")
        import base64
        import json

        data = {"index": base64.b64encode(ring.index_key).decode(),
                **{str(v): base64.b64encode(k).decode() for v, k in sorted(ring.keys.items()) if v != version}}
        _write_private(path, json.dumps(data, indent=1), replace=True)
        self.stdout.write(f"Version {version} removed from {path}.")
        if settings.GONGZHI_DATA_KEYS.strip() != str(path):
            self.stdout.write("(This is not the key file the site reads.)")


def _write_private(path: Path, text: str, *, replace: bool = False) -> None:
    """Write a key file readable by its owner only (atomically when it replaces one)."""
    target = path.with_name(path.name + ".new") if replace else path
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text + "\n")
    if replace:
        os.replace(target, path)
