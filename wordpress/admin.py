from django.contrib import admin

from wordpress.models import LegacyRedirect


@admin.register(LegacyRedirect)
class LegacyRedirectAdmin(admin.ModelAdmin):
    """Old WordPress addresses kept by `import_wordpress` (wordpress.redirects answers them)."""

    list_display = ["old_path", "article", "page", "image"]
    list_select_related = ["article", "page", "image"]
    search_fields = ["old_path", "article__title", "page__title"]
    autocomplete_fields = ["article", "page"]
    raw_id_fields = ["image"]
