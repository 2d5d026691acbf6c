"""Annotated articles -> RDF: triples with their evidence, identity (IRIs), literals, SHACL."""
