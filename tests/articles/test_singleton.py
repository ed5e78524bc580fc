"""Settings tables of one row (articles.singleton): Publication, DonationSettings and
DigestSchedule share it."""

import datetime

import pytest

from articles.models import Publication
from donations.models import DonationSettings
from newsletter.models import DigestSchedule

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [
        (Publication, "title", "The Long View"),
        (DonationSettings, "appeal_heading", "Chip in"),
        (DigestSchedule, "daily_time", datetime.time(18, 30)),
    ],
)
def test_one_row_kept_until_it_is_saved_or_deleted(
    model, field, value, django_assert_num_queries, commit
):
    assert model.current().pk == 1 and not model.objects.exists()  # defaults before a save
    row = model()
    row.pk = 7  # whatever the writer says, there is one row
    setattr(row, field, value)
    commit(row.save)
    assert list(model.objects.values_list("pk", flat=True)) == [1]
    assert getattr(model.current(), field) == value  # the save dropped the kept defaults
    with django_assert_num_queries(0):
        assert getattr(model.current(), field) == value
    commit(model.current().delete)
    assert getattr(model.current(), field) != value
