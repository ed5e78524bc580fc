"""The page cache: whole pages for anonymous readers, and kept parts of pages for everyone else.

Public API, nothing more:
- `pagecache.middleware.PageCacheMiddleware` (settings.MIDDLEWARE);
- `page_cache_models` / `page_cache_next_change` on an app's AppConfig: what its pages show
  (pagecache/apps.py); writes that send no signals call `pagecache.generation.bump_on_commit()`;
- Django's own `{% cache parts_seconds "name" vary… %}` in templates: the "template_fragments"
  cache keys every part by the generation (pagecache/generation.py, pagecache/backends.py).
"""
