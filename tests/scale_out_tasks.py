"""A task for the scale-out test: it records which process ran it, so duplicates would show."""

import os
import time

from django.tasks import task


@task
def record_run(*, path: str, number: int) -> None:
    time.sleep(0.03)  # long enough that two workers overlap
    with open(path, "a") as log:  # O_APPEND: lines from two processes never interleave
        log.write(f"{number}:{os.getpid()}\n")
