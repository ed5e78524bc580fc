"""The password hasher of the test run: Django's PBKDF2 with few rounds.

At Django's work factor a password costs about 0.4 s to hash or check on the test machine, and the
suite makes and logs in hundreds of users. The algorithm is the same (`pbkdf2_sha256`, the rounds
are kept in the hash), so the app servers tests start with production settings check these hashes
as they would any other."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FewRoundsPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000
