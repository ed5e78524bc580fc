"""Moving in from WordPress: read a WXR export (`parse`), convert its HTML (`content`) and write it
into our models (`importer`). Old WordPress addresses are answered by `articles.redirects`."""
