"""The explorer: a single-page app for people (static/), served at / by api/routes/site.py.

Plain ES modules and CSS, no build step: what is in static/ is what the browser gets, so a plain
`pip install` serves it. Cytoscape.js is vendored from npm in static/vendor/ with its licence
(static/vendor/README.md says which version and how to update it).
"""

from pathlib import Path

STATIC = Path(__file__).parent / "static"
