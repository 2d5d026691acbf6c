"""Where the tests find the project's files and the shared corpus (../shared, also there in CI)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_PAGE = ROOT / "data" / "sample" / "page-000.txt"
SAMPLE_ANNOTATIONS = ROOT / "data" / "sample" / "page-000.annotations.jsonl"
CORPUS = ROOT.parent / "shared" / "corpus"
