import pytest

from kg.extract.reader import build_pipeline
from kg.extract.state import state


@pytest.fixture(scope="session")
def nlp():
    return build_pipeline()


@pytest.fixture
def read(nlp):
    """The reader's working state for a text: its units, people, posts, values and events."""
    def run(text):
        doc = nlp.make_doc(text)
        st = state(doc, text)
        nlp(doc)
        return st
    return run
