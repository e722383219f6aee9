"""Open data downloads at ``/open-data/``: the portal's public data per year as CSV and
GeoJSON, and the page that describes every field, its source and its licence.

``datasets`` owns what each set holds and reads its rows (never personal data, never more
than the public pages show); ``views`` serves the page and the files, kept in the cache under
the public version (see its docstring for why that and not files written by a task)."""
