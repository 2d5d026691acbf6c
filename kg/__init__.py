"""A knowledge graph of what offices and party organisations do, built from local news.

The data's path through the package: page -> article -> annotations -> triples -> graph rows
-> store -> query. Each step is a module named for it.
"""

__version__ = "0.1.0"
