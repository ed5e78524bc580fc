"""`--fetch-media`: copy the old site's uploads over HTTP into a local folder, which the import then
reads as it reads `--media-dir` (same upload checks, same renditions).

- Bounded: WORDPRESS_FETCH_WORKERS downloads at once, each socket operation limited to
  WORDPRESS_FETCH_TIMEOUT seconds and each file to WORDPRESS_FETCH_MAX_BYTES.
- Patient: a timeout, a dropped connection or a 5xx is tried again WORDPRESS_FETCH_RETRIES times,
  waiting WORDPRESS_FETCH_BACKOFF seconds, then twice that, …; a 4xx is final.
- Resumable: a file is written as `name.part` and renamed when complete, so a file present in the
  folder is whole, and a second run fetches only what is missing.
- Honest: every file that could not be fetched comes back with the reason, for the report; the
  post keeps its link to the original.
"""

import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from wordpress.media import safe_path

USER_AGENT = "newsroom-wordpress-import/1.0"
FINAL_STATUSES = range(400, 500)


@dataclass
class FetchResult:
    fetched: int = 0
    present: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # relpath → why


class FetchFailed(Exception):
    def __init__(self, reason: str, *, final: bool):
        super().__init__(reason)
        self.final = final


def fetch_uploads(
    wanted: dict[str, str],
    *,
    into: Path,
    progress: Callable[[str, int, int], None] | None = None,
) -> FetchResult:
    """Download each `relpath → url` not yet in `into`."""
    result = FetchResult()
    missing: dict[str, Path] = {}
    for relpath in wanted:
        target = safe_path(into, relpath)
        if target is None:
            result.failed[relpath] = "its path leaves the download folder; refused"
        elif target.is_file():
            result.present += 1
        else:
            missing[relpath] = target
    report = progress or (lambda phase, done, total: None)
    done = 0
    with ThreadPoolExecutor(max_workers=settings.WORDPRESS_FETCH_WORKERS) as pool:
        futures = {
            pool.submit(_fetch_with_retries, wanted[relpath], target): relpath
            for relpath, target in missing.items()
        }
        for future in as_completed(futures):
            relpath = futures[future]
            try:
                future.result()
                result.fetched += 1
            except FetchFailed as error:
                result.failed[relpath] = str(error)
            done += 1
            report("download", done, len(missing))
    return result


def _fetch_with_retries(url: str, target: Path) -> None:
    attempts = settings.WORDPRESS_FETCH_RETRIES + 1
    for attempt in range(attempts):
        try:
            return _fetch(url, target)
        except FetchFailed as error:
            if error.final or attempt == attempts - 1:
                tries = f" after {attempt + 1} tries" if attempt else ""
                raise FetchFailed(f"{error}{tries}", final=True) from None
            time.sleep(settings.WORDPRESS_FETCH_BACKOFF * 2**attempt)
    return None


def _fetch(url: str, target: Path) -> None:
    limit = settings.WORDPRESS_FETCH_MAX_BYTES
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    partial = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(request, timeout=settings.WORDPRESS_FETCH_TIMEOUT) as response:
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > limit:
                raise FetchFailed(f"larger than {limit} bytes", final=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            size = 0
            with partial.open("wb") as out:
                while chunk := response.read(64 * 1024):
                    size += len(chunk)
                    if size > limit:
                        raise FetchFailed(f"larger than {limit} bytes", final=True)
                    out.write(chunk)
            if declared and size != declared:
                raise FetchFailed(f"cut off after {size} of {declared} bytes", final=False)
        partial.replace(target)
    except urllib.error.HTTPError as error:
        raise FetchFailed(f"HTTP {error.code}", final=error.code in FINAL_STATUSES) from None
    except TimeoutError:
        raise FetchFailed("timed out", final=False) from None
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise FetchFailed("timed out", final=False) from None
        raise FetchFailed(f"cannot connect ({reason})", final=False) from None
    finally:
        partial.unlink(missing_ok=True)
