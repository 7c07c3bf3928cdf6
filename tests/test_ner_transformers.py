"""The optional transformers NER backend, on a tiny randomly initialised model made here."""

import json

import pytest

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from rasd.cli import main  # noqa: E402
from rasd.document import Document  # noqa: E402
from rasd.ner.transformers_backend import TransformersTagger  # noqa: E402
from rasd.stages.structure import structure_stage  # noqa: E402
from rasd.stages.tokens import TokenStage  # noqa: E402

LABELS = {0: "O", 1: "B-PERS", 2: "I-PERS", 3: "B-LOC", 4: "I-LOC"}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A 2-layer BERT whose classifier always prefers B-PERS: every word is a person."""
    d = tmp_path_factory.mktemp("tiny-ner")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list(
        "ابتثجحخدذرزسشصضطظعغفقكلمنهوي") + ["##" + c for c in "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"]
    (d / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tok = transformers.BertTokenizerFast(vocab_file=str(d / "vocab.txt"), do_lower_case=False)
    tok.save_pretrained(d)
    config = transformers.BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2,
                                     num_attention_heads=2, intermediate_size=64,
                                     id2label=LABELS, label2id={v: k for k, v in LABELS.items()})
    torch.manual_seed(0)
    model = transformers.BertForTokenClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0.0, 5.0, 0.0, 0.0, 0.0]))
    model.save_pretrained(d)
    return d


def test_word_pieces_align_to_character_offsets(model_dir):
    text = "التقى بحفتر في طرابلس"
    doc = Document(text=text)
    structure_stage(doc)
    TokenStage()(doc)
    TransformersTagger.load(model_dir)(doc)
    assert [m.text for m in doc.mentions] == ["التقى", "حفتر", "في", "طرابلس"]
    for m in doc.mentions:
        assert text[m.start:m.end] == m.text and m.type == "PER" and 0 < m.score <= 1


def test_cli_uses_the_backend(model_dir, tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text("قال غسان سلامة إن الحوار مستمر.", encoding="utf-8")
    assert main(["analyze", str(p), "--ner", f"transformers:{model_dir}"]) == 0
    data = json.loads(capsys.readouterr().out)
    # only this model tags the verb قال as a person: proof that the backend ran
    assert any(m["text"] == "قال" and m["type"] == "PER" for m in data["mentions"])


def test_missing_directory_is_one_line_error(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text("قال الوزير إن الحوار مستمر.", encoding="utf-8")
    assert main(["analyze", str(p), "--ner", f"transformers:{tmp_path / 'nope'}"]) == 1
    assert "not a model directory" in capsys.readouterr().err
