"""The optional online receiver of applications (``ipwatch intake serve``): Flask routes
(``app``), per-client rate limits (``limits``) and its few HTML pages (``pages``), served by
waitress. Off unless a bureau starts it; the static site works without it."""
