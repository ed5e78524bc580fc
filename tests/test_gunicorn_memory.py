"""gunicorn replaces a worker whose memory grew past GUNICORN_MAX_WORKER_MEMORY_MB (a huge upload
must not keep a worker large for good), without failing a request."""

import time

from tests.app_servers import ROOT, app_server, production_env


def test_a_worker_over_its_memory_limit_is_replaced_and_requests_keep_being_answered():
    env = production_env(DATABASE_URL="sqlite:///:memory:", GUNICORN_MAX_WORKER_MEMORY_MB="1")
    with app_server(env) as server:
        statuses = []
        for _ in range(4):
            statuses.append(server.get("/healthz")[0])
            time.sleep(0.5)  # the replacement boots
        log = (ROOT / "test-artifacts" / f"gunicorn-{server.port}.log").read_text()
    assert statuses == [200] * 4
    assert "recycling it" in log
    assert log.count("Booting worker") >= 2


def test_a_worker_under_its_limit_keeps_serving():
    env = production_env(DATABASE_URL="sqlite:///:memory:", GUNICORN_MAX_WORKER_MEMORY_MB="4096")
    with app_server(env) as server:
        for _ in range(3):
            assert server.get("/healthz")[0] == 200
        log = (ROOT / "test-artifacts" / f"gunicorn-{server.port}.log").read_text()
    assert "recycling it" not in log
    assert log.count("Booting worker") == 1
