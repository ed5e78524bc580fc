"""Moving in from WordPress: read a WXR export (`parse`), convert its HTML (`content`) and write it
into our models (`importer`, run by `manage.py import_wordpress`). Afterwards the site's old
addresses keep answering: `LegacyRedirect` rows and the middleware in `redirects`.

This app builds on `articles` (it writes Articles, Pages, Images); nothing in `articles` imports it."""
