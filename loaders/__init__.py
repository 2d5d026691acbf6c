"""Loading: the pipeline that conducts read -> extract -> triples -> validate -> rows -> write."""
