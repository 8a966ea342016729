"""Generates agreement.json: reference values for Caliper's agreement statistics from
scikit-learn (Cohen's kappa), statsmodels (Fleiss' kappa), the `krippendorff` package and irrCAC
(Gwet's AC1) and crowd-kit (Dawid-Skene). Run once, commit the JSON; the Swift tests read only the JSON.

    pip install numpy pandas scikit-learn statsmodels krippendorff irrCAC crowd-kit
    python3 Tests/CaliperCoreTests/Fixtures/generate_agreement_fixtures.py
"""
import json
import math
import os

import krippendorff
import numpy as np
import pandas as pd
import sklearn
from irrCAC.raw import CAC
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

rng = np.random.default_rng(20261126)
LABELS = ["none", "spam", "hate", "violence", "adult", "fraud", "self_harm", "harassment"]
out = {"versions": {"sklearn": sklearn.__version__, "krippendorff": getattr(krippendorff, "__version__", "?")}}


def skewed_choice(size, k, dominant):
    weights = np.full(k, (1 - dominant) / (k - 1)) if k > 1 else np.ones(1)
    weights[0] = dominant if k > 1 else 1
    return rng.choice(k, size=size, p=weights)


cohen = []
for _ in range(150):
    n = int(rng.integers(5, 300))
    k = int(rng.integers(2, 6))
    a = skewed_choice(n, k, float(rng.uniform(0.2, 0.95)))
    noise = rng.random(n) < rng.uniform(0.05, 0.6)
    b = np.where(noise, rng.integers(0, k, n), a)
    numeric = bool(rng.random() < 0.4)
    xa = [int(v) + 1 for v in a] if numeric else [LABELS[v] for v in a]
    xb = [int(v) + 1 for v in b] if numeric else [LABELS[v] for v in b]
    weights = str(rng.choice(["none", "linear", "quadratic"])) if numeric else "none"
    kappa = cohen_kappa_score(xa, xb, weights=None if weights == "none" else weights)
    if math.isnan(kappa):
        continue
    cohen.append({"a": xa, "b": xb, "weights": weights, "kappa": float(kappa)})
out["cohen_kappa"] = cohen


def long_format(matrix, numeric):
    rows = []
    for unit, values in enumerate(matrix):
        for rater, value in enumerate(values):
            if value is None:
                continue
            rows.append({"unit": f"u{unit}", "rater": f"r{rater}", "value": value if numeric else LABELS[value]})
    return rows


fleiss = []
for _ in range(100):
    units, raters, k = int(rng.integers(3, 40)), int(rng.integers(2, 8)), int(rng.integers(2, 6))
    truth = skewed_choice(units, k, float(rng.uniform(0.2, 0.9)))
    matrix = []
    for u in range(units):
        flips = rng.random(raters) < rng.uniform(0.05, 0.5)
        matrix.append([int(rng.integers(0, k)) if f else int(truth[u]) for f in flips])
    table = np.zeros((units, k))
    for u, values in enumerate(matrix):
        for v in values:
            table[u, v] += 1
    value = fleiss_kappa(table, method="fleiss")
    if math.isnan(value):
        continue
    fleiss.append({"ratings": long_format(matrix, False), "kappa": float(value)})
out["fleiss_kappa"] = fleiss

alphas = []
for _ in range(120):
    units, raters, k = int(rng.integers(3, 35)), int(rng.integers(2, 7)), int(rng.integers(2, 7))
    level = str(rng.choice(["nominal", "ordinal", "interval", "ratio"]))
    numeric = level != "nominal" or rng.random() < 0.5
    truth = skewed_choice(units, k, float(rng.uniform(0.2, 0.8)))
    matrix = []
    for u in range(units):
        row = []
        for r in range(raters):
            if rng.random() < 0.2:
                row.append(None)
            elif rng.random() < 0.3:
                row.append(int(rng.integers(0, k)) + (1 if numeric else 0))
            else:
                row.append(int(truth[u]) + (1 if numeric else 0))
        matrix.append(row)
    data = np.array([[np.nan if v is None else float(v) for v in row] for row in matrix]).T
    try:
        value = krippendorff.alpha(reliability_data=data, level_of_measurement=level if numeric else "nominal")
    except ValueError:  # a single value in the domain: alpha is undefined (tested separately)
        continue
    ratings = long_format(matrix, numeric)
    if value is None or math.isnan(value):
        continue
    alphas.append({"ratings": ratings, "level": level, "alpha": float(value)})
out["krippendorff_alpha"] = alphas

gwet = []
for _ in range(100):
    units, raters, k = int(rng.integers(3, 35)), int(rng.integers(2, 6)), int(rng.integers(2, 5))
    truth = skewed_choice(units, k, float(rng.uniform(0.3, 0.97)))
    matrix = []
    for u in range(units):
        row = []
        for r in range(raters):
            if rng.random() < 0.15:
                row.append(None)
            elif rng.random() < 0.2:
                row.append(int(rng.integers(0, k)))
            else:
                row.append(int(truth[u]))
        if all(v is None for v in row):
            row[0] = int(truth[u])
        matrix.append(row)
    frame = pd.DataFrame([[LABELS[v] if v is not None else np.nan for v in row] for row in matrix])
    cac = CAC(frame, digits=17)
    result = cac.gwet()
    used = sorted({v for row in matrix for v in row if v is not None})
    if len(used) < 2:
        continue
    gwet.append({"ratings": long_format(matrix, False), "ac1": float(result["est"]["coefficient_value"])})
out["gwet_ac1"] = gwet

from crowdkit.aggregation import DawidSkene

skene = []
for _ in range(40):
    units, raters, k = int(rng.integers(5, 40)), int(rng.integers(2, 7)), int(rng.integers(2, 5))
    truth = skewed_choice(units, k, float(rng.uniform(0.3, 0.8)))
    skill = rng.uniform(0.4, 0.95, raters)
    rows = []
    for u in range(units):
        for r in range(raters):
            if rng.random() < 0.2:
                continue
            value = int(truth[u]) if rng.random() < skill[r] else int(rng.integers(0, k))
            rows.append({"task": f"u{u}", "worker": f"r{r}", "label": LABELS[value]})
    frame = pd.DataFrame(rows)
    model = DawidSkene(n_iter=100, tol=1e-6).fit(frame)
    labels = sorted(frame.label.unique())
    units_seen = list(dict.fromkeys(frame.task))
    workers = list(dict.fromkeys(frame.worker))
    probas = model.probas_.reindex(index=units_seen, columns=labels)
    errors = {}
    for worker in workers:
        matrix = []
        for observed in labels:
            if (worker, observed) in model.errors_.index:
                matrix.append([float(model.errors_.loc[(worker, observed), true]) for true in labels])
            else:
                matrix.append([0.0] * len(labels))
        errors[worker] = matrix
    skene.append({
        "ratings": [{"unit": row["task"], "rater": row["worker"], "value": row["label"]} for row in rows],
        "labels": labels, "units": units_seen, "posteriors": probas.values.tolist(),
        "raters": workers, "errors": [errors[w] for w in workers],
        "priors": [float(model.priors_[l]) for l in labels], "iterations": len(model.loss_history_),
    })
out["dawid_skene"] = skene

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "agreement.json")
with open(path, "w") as handle:
    json.dump(out, handle, separators=(",", ":"))
print(f"wrote {path}: " + ", ".join(f"{k} {len(v)}" for k, v in out.items() if isinstance(v, list)))
