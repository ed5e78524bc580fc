"""Moving in from WordPress: `manage.py import_wordpress EXPORT.xml`, and the old addresses after.

Reading (`parse`): any WXR export, 1.0 to 1.2, streamed with iterparse; namespaces are matched as
the file declares them (http or https). A file that is not an export is refused with what it is.

Writing (`importer`, with `terms`, `images`, `menu`): authors (a byline and an inactive account
per login; `dc:creator` cleaned as WordPress's sanitize_user does), categories, tags, posts, pages
with their parents (`/about/team/`, slugs in any script kept), the main nav menu (named like a
primary location, else the largest; top-level entries, into our menu while it is empty), featured
images and pictures in bodies, and on a new site the blog's name. Dates (`dates`) keep the old
site's day and address. private → draft; password-protected posts stay drafts. Each item is
written in its own savepoint; a second run on the same file changes nothing.

Bodies (`content`, then `articles.sanitize`): as WordPress shows them — wpautop, shortcodes and
blocks to our markup (galleries one grid, audio/video players with a download link, click-to-load
YouTube/Vimeo), `<!--more-->` teaser and `<!--nextpage-->` breaks, h1 → h2, obsolete tags and
alignment to ours. What cannot be converted stays visible and is listed in the report.

Pictures (`images`, `media`, `fetch`): from `--media-dir`, or downloaded with `--fetch-media`; each
passes the upload checks and gets renditions, and bodies point at our copy (any `-300x200` size).
Audio, video and PDF files the posts use (`files`) are copied into our storage the same way.

Old addresses (`models.LegacyRedirect`, `redirects`): permalinks, earlier slugs, `/?p=`, feeds,
uploads answer with a 301 to where the thing lives now.

Measured (`bench` app's `make_wxr --posts 10000`, 43 MB; PostgreSQL; `/usr/bin/time -v` on the
shared 2-core machine): first import 45 s wall at load average ~5, 63–68 s at 9–12, of which
about 14 s is the importer's own CPU (the rest PostgreSQL, its search-vector trigger, and waiting
for a core); peak memory 227 MB. A second run writes nothing: 31 s, 146 MB.

This app builds on `articles`; nothing in `articles` imports it.
"""
