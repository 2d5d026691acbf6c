"""Reading raw input: bytes and encodings, newspaper pages split into articles, article files.

Nothing here annotates: the pipeline (loaders/pipeline.py) decides what to extract."""
