"""What the move from WordPress leaves behind: the old addresses, each pointing at its row now."""

from django.db import models
from django.db.models import Q

from articles.models import Article, Image, Page


class LegacyRedirect(models.Model):
    """An address the site had under WordPress, pointing at what now lives there.

    Unlike django.contrib.redirects, the target is a row, not a string: the redirect follows the
    article when its slug or date changes, and answers only while the target is public."""

    old_path = models.CharField(
        max_length=500, unique=True, help_text="The old path, such as /2019/05/03/my-post/."
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.CASCADE, related_name="legacy_redirects"
    )
    page = models.ForeignKey(
        Page, null=True, blank=True, on_delete=models.CASCADE, related_name="legacy_redirects"
    )
    image = models.ForeignKey(
        Image, null=True, blank=True, on_delete=models.CASCADE, related_name="legacy_redirects"
    )

    class Meta:
        # The table the model had while it lived in `articles`: moving the code moved no rows.
        db_table = "articles_legacyredirect"
        ordering = ["old_path"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(article__isnull=False, page__isnull=True, image__isnull=True)
                    | Q(article__isnull=True, page__isnull=False, image__isnull=True)
                    | Q(article__isnull=True, page__isnull=True, image__isnull=False)
                ),
                name="legacyredirect_exactly_one_target",
            )
        ]

    def __str__(self) -> str:
        return self.old_path

    def target_url(self) -> str:
        """Where a reader goes now, or "" while the target is not public."""
        if self.article_id:
            return self.article.get_absolute_url() if self.article.is_live else ""
        if self.page_id:
            return self.page.get_absolute_url() if self.page.published else ""
        return self.image.file.url if self.image.file else ""
