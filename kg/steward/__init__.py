"""Stewardship: ontology files checked, diffed against the store and reloaded; the whole
stored graph validated against the shapes."""
