"""Reading input: files -> articles. Raw text (newspaper pages, article files) gives articles as
read; annotation exports (doccano, Label Studio) give annotated ones; sources.py picks the
reader by what a file holds.

Nothing here annotates: the pipeline (loaders/pipeline.py) decides what to extract."""
