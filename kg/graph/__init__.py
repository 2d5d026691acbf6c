"""RDF -> the property graph: rows, the writer's Cypher, the stores, and reading the graph back
as RDF (export) or counts (stats)."""
