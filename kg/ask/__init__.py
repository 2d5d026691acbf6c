"""Asking the graph: the named-query library and the lookups behind the API."""
