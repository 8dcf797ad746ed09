"""The trained contempt model: shipped, small, rebuilt by `make train-heat` (byte for byte on
one machine)."""

import json
import subprocess
import sys

import numpy as np
from django.conf import settings
from scipy import sparse

import heat
from heat import training
from heat.classifier import tokens
from heat.features import BITS
from heat.model import MODEL_PATH, REASONS, ContemptModel
from heat.scoring import model_features


def test_the_shipped_model_is_small_and_plain_numbers():
    assert MODEL_PATH.stat().st_size <= 5 * 1024 * 1024
    with np.load(MODEL_PATH, allow_pickle=False) as saved:  # no pickles: plain arrays only
        assert {"weights", "dense", "intercept", "reason_weights"} <= set(saved.files)
    model = ContemptModel()
    assert model.reason_weights.shape[0] == len(REASONS)


def test_training_twice_gives_identical_bytes(tmp_path):
    items = training.training_items()[::6]  # a slice keeps this quick; same code as the full run
    for name in ("a.npz", "b.npz"):
        training.write_model(training.fit(items, 10.0, 0.6), tmp_path / name)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_the_fitting_scales_are_folded_into_the_stored_weights(tmp_path):
    """Training weighs each bucket by its inverse document frequency and class lean, and the
    signals by DENSE_SCALE; scoring reads plain features, so the stored numbers must give
    what the fitted model gave."""
    items = training.training_items()[::5]
    texts = [text for text, _, _ in items]
    labels = np.array([heated for _, heated, _ in items])
    numbers = training.fit(items, 3.0, 0.5)  # threshold 0.5: no shift but OPERATING_POINT's
    training.write_model(numbers, tmp_path / "m.npz")
    rows, buckets, scale, dense = model_features(texts)
    matrix = training._matrix(rows, buckets, scale, len(texts), 1 << BITS, dense)
    columns = training._columns(matrix, labels)
    assert columns[-1] == training.DENSE_SCALE and columns[0] != columns[-1]
    fitted = training._heat_model(matrix @ sparse.diags(columns), labels, 3.0)
    expected = fitted.decision_function(matrix @ sparse.diags(columns))
    lowers = [t.lower() for t in texts]
    probs = ContemptModel(tmp_path / "m.npz").probs(lowers, [tokens(t) for t in lowers], dense)
    shift = float(numbers["intercept"])
    assert np.allclose(np.log(probs / (1 - probs)) - shift, expected, atol=1e-3)


def test_the_shipped_model_is_what_make_train_heat_produces(tmp_path):
    """`make train-heat` runs `python -m heat.training`; run it into a temporary file.

    On one machine it writes the same bytes every time; on another CPU, numpy's BLAS
    kernels may round a product differently in float32's last place (seen: 597 of the
    114,688 reason weights, by 1.2e-7), so the numbers are compared, not the bytes."""
    output = tmp_path / "contempt.npz"
    subprocess.run(
        [sys.executable, "-m", "heat.training", "--output", str(output)],
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
    )
    shipped, rebuilt = np.load(MODEL_PATH), np.load(output)
    assert sorted(rebuilt.files) == sorted(shipped.files), "run `make train-heat` and commit"
    for name in shipped.files:
        assert rebuilt[name].shape == shipped[name].shape, name
        assert np.allclose(rebuilt[name], shipped[name], rtol=0, atol=1e-6), (
            f"{name} differs: run `make train-heat` and commit"
        )


def test_training_reads_no_test_or_holdout_text():
    texts = {text for text, _, _ in training.training_items()}
    frozen = {
        row["text"]
        for name in ("contempt.jsonl", "labelled.jsonl")
        for row in map(json.loads, (training.FIXTURES / name).read_text().splitlines())
        if row["split"] in ("test", "holdout")
    }
    assert frozen and not texts & frozen


def test_scoring_needs_no_scikit_learn():
    code = (
        "import sys; from heat.model import load_model; "
        "from heat.classifier import tokens; t = 'oh look, the expert has arrived'; "
        "load_model().probs([t], [tokens(t)], [[0.0] * 17]); "
        "print('sklearn' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_a_high_score_without_a_rule_still_names_a_reason_in_plain_words():
    # No rule covers this wording; the model scores it high and says what kind of heat it is.
    value, signals = heat.score_text("Do you ever get tired of being wrong?")
    assert heat.is_heated(value, settings.HEAT_THRESHOLD)
    top = signals[0]
    assert top["code"] in REASONS and top["label"] == heat.LABELS[top["code"]]
    text = "do you ever get tired of being wrong?"
    assert top["evidence"] and all(e.lower() in text for e in top["evidence"])
