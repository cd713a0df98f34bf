"""The password hasher: Argon2id with OWASP's minimum configuration instead of Django's defaults.

OWASP's Password Storage Cheat Sheet: "Use Argon2id with a minimum configuration of 19 MiB of memory, an
iteration count of 2, and 1 degree of parallelism." Django's defaults (100 MiB, 2 iterations, 8 lanes)
cost about ten times the CPU per sign-in (about 240 ms against 22 ms measured on the development machine),
which a street-wide event of 500 sign-ins in two minutes on two cores cannot afford (docs/security.md,
"Password hashing"). The algorithm's name stays ``argon2``: hashes made with other parameters still
verify, and Django's ``must_update`` rehashes them with these at the next sign-in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB: 19 MiB
    parallelism = 1
