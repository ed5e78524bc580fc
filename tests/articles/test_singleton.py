"""Settings tables of one row (articles.singleton): Publication and DonationSettings share it."""

import pytest

from articles.models import Publication
from donations.models import DonationSettings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("model", "field", "value"),
    [(Publication, "title", "The Long View"), (DonationSettings, "appeal_heading", "Chip in")],
)
def test_one_row_read_through_the_cache_and_dropped_on_save(
    model, field, value, django_assert_num_queries
):
    assert model.current().pk == 1 and not model.objects.exists()  # defaults before a save
    row = model()
    row.pk = 7  # whatever the writer says, there is one row
    setattr(row, field, value)
    row.save()
    assert list(model.objects.values_list("pk", flat=True)) == [1]
    assert getattr(model.current(), field) == value  # the save dropped the cached defaults
    with django_assert_num_queries(0):
        assert getattr(model.current(), field) == value
    model.current().delete()
    assert getattr(model.current(), field) != value
