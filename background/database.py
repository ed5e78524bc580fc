"""Riding out a database outage in a long-running process (a worker, a send)."""

import logging
import time

from django.db import InterfaceError, OperationalError, connection

logger = logging.getLogger(__name__)

# What psycopg and sqlite raise when the server is unreachable or the connection died.
OUTAGE_ERRORS = (OperationalError, InterfaceError)


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def drop_connection() -> None:
    """Forget the (dead) connection so the next query opens a new one."""
    try:
        connection.close()
    except Exception:  # closing a dead socket can fail in many ways; it is gone either way
        connection.connection = None


def wait_for_database(*, timeout: float, first_pause: float = 0.5, max_pause: float = 10) -> None:
    """Block until the database answers again, pausing longer between tries (up to `max_pause`).
    Raises the last connection error if it is still away after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    pause = first_pause
    while True:
        drop_connection()
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return
        except OUTAGE_ERRORS as error:
            if time.monotonic() + pause > deadline:
                raise
            logger.warning(
                "database unavailable (%s); retrying in %.1f s", first_line(error), pause
            )
        time.sleep(pause)
        pause = min(pause * 2, max_pause)
