"""The page cache: whole pages for anonymous readers, and kept parts of pages for everyone else.

Public API, nothing more:
- `pagecache.middleware.PageCacheMiddleware` (settings.MIDDLEWARE);
- `page_cache_models` / `page_cache_next_change` on an app's AppConfig: what its pages show
  (pagecache/apps.py); writes that send no signals call `pagecache.generation.bump_on_commit()`;
- Django's own `{% cache parts_seconds "name" vary… %}` in templates: the "template_fragments"
  cache keys every part by the generation (pagecache/generation.py, pagecache/backends.py);
- in Python, `caches["sitewide"].get_or_set(key, build, seconds)`: a value every page reads (the
  menu, a settings row, the sidebar's rows) kept until the next change of a declared model. Its keys
  carry the generation too, but FRAGMENT_CACHE does not switch it off: a page built with nothing
  of its own kept still finds the site's furniture kept, as it would in production. Nothing is
  deleted by hand; a value that also changes with something undeclared puts that in its key (the
  Popular box names a slot of the clock).
"""
