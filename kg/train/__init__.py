"""Learning from corrections: the reader's statistical part fitted on annotated articles.

    data.py   training samples from doccano / Label Studio exports and gold articles
    fit.py    a spaCy ner over the backbone's words; the versioned artefact `kg train` writes
    folds.py  K-fold cross-validation, rules alone vs rules + model (`kg eval --folds K`)

The component that runs a trained model inside the reader is kg/extract/learned.py. kg/train
sits above kg/eval (it scores) and kg/read (it reads exports); nothing below imports it.
"""
