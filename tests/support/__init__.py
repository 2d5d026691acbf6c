"""What the tests share: paths, fixtures by concern, servers, small annotated articles."""
