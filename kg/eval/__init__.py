"""Evaluation: facts in the shape of the gold corpus (from annotations, or read back from a
store) and their scores."""
