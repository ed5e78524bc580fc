"""Fixtures for the admin tests: logins in the newsroom's roles (see newsroom_roles.py)."""

import pytest

from tests.articles.newsroom_roles import make_contributor, make_editor


@pytest.fixture
def contributor(db):
    return make_contributor()


@pytest.fixture
def editor(db):
    return make_editor()


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
