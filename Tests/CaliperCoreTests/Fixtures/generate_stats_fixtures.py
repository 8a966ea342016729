"""Generates stats.json: reference values for Caliper's statistics from the libraries the
Lua API reference names (statsmodels, SciPy, NumPy). Run once, commit the JSON; the Swift tests
read only the JSON (no Python needed to test).

    pip install numpy scipy statsmodels
    python3 Tests/CaliperCoreTests/Fixtures/generate_stats_fixtures.py
"""
import json
import os

import numpy as np
import scipy
import statsmodels
from scipy.stats import chi2_contingency
from statsmodels.stats.contingency_tables import mcnemar
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint, proportions_ztest

rng = np.random.default_rng(20261125)
cases = {"versions": {"numpy": np.__version__, "scipy": scipy.__version__, "statsmodels": statsmodels.__version__}}

intervals = []
for _ in range(300):
    n = int(rng.integers(1, 5000))
    k = int(rng.integers(0, n + 1))
    if rng.random() < 0.1:
        k = 0 if rng.random() < 0.5 else n
    confidence = float(rng.choice([0.8, 0.9, 0.95, 0.99, 0.999]))
    wl, wh = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    bl, bh = proportion_confint(k, n, alpha=1 - confidence, method="beta")
    intervals.append({"k": k, "n": n, "confidence": confidence, "wilson": [wl, wh], "clopper_pearson": [bl, bh]})
cases["intervals"] = intervals

ztests = []
for _ in range(200):
    n1, n2 = int(rng.integers(1, 3000)), int(rng.integers(1, 3000))
    k1, k2 = int(rng.integers(0, n1 + 1)), int(rng.integers(0, n2 + 1))
    pooled = (k1 + k2) / (n1 + n2)
    if pooled in (0.0, 1.0):
        continue
    z, p = proportions_ztest([k1, k2], [n1, n2])
    ztests.append({"k1": k1, "n1": n1, "k2": k2, "n2": n2, "z": float(z), "p": float(p)})
cases["two_proportion_z"] = ztests

mcnemars = []
for _ in range(200):
    b, c = int(rng.integers(0, 400)), int(rng.integers(0, 400))
    if b + c == 0:
        continue
    exact = mcnemar([[0, b], [c, 0]], exact=True).pvalue
    approx = mcnemar([[0, b], [c, 0]], exact=False, correction=True).pvalue
    mcnemars.append({"b": b, "c": c, "exact": float(exact), "chi2": float(approx)})
cases["mcnemar"] = mcnemars

descriptive = []
for _ in range(60):
    size = int(rng.integers(2, 400))
    values = (rng.normal(rng.uniform(-100, 100), rng.uniform(0.1, 50), size)).tolist()
    qs = [0, 1, 5, 25, 50, 75, 90, 99, 100, float(rng.uniform(0, 100))]
    descriptive.append({
        "values": values,
        "mean": float(np.mean(values)),
        "stdev": float(np.std(values, ddof=1)),
        "qs": qs,
        "percentiles": [float(np.percentile(values, q)) for q in qs],
    })
cases["descriptive"] = descriptive

bh = []
for _ in range(100):
    m = int(rng.integers(1, 60))
    pvalues = rng.uniform(0, 1, m) ** float(rng.uniform(0.5, 4))
    alpha = float(rng.choice([0.01, 0.05, 0.1]))
    rejected, adjusted, _, _ = multipletests(pvalues, alpha=alpha, method="fdr_bh")
    bh.append({"pvalues": pvalues.tolist(), "alpha": alpha, "adjusted": adjusted.tolist(), "rejected": rejected.tolist()})
cases["benjamini_hochberg"] = bh

tables = []
for _ in range(150):
    rows, columns = int(rng.integers(2, 6)), int(rng.integers(2, 6))
    table = rng.integers(1, 200, size=(rows, columns))
    chi2, p, dof, _ = chi2_contingency(table, correction=False)
    tables.append({"table": table.tolist(), "chi2": float(chi2), "p": float(p), "dof": int(dof)})
cases["chi2_contingency"] = tables

from sklearn.metrics import confusion_matrix, matthews_corrcoef, precision_recall_fscore_support

NAMES = ["none", "spam", "hate", "violence", "adult", "fraud"]
confusions = []
for _ in range(120):
    n = int(rng.integers(1, 400))
    k = int(rng.integers(2, 7))
    actual = rng.choice(k, size=n, p=rng.dirichlet(np.ones(k) * 0.7))
    wrong = rng.random(n) < rng.uniform(0.0, 0.6)
    predicted = np.where(wrong, rng.integers(0, k, n), actual)
    actual = [NAMES[v] for v in actual]
    predicted = [NAMES[v] for v in predicted]
    labels = sorted(set(actual) | set(predicted))
    matrix = confusion_matrix(actual, predicted, labels=labels)
    p, r, f, support = precision_recall_fscore_support(actual, predicted, labels=labels, zero_division=0)
    case = {"actual": actual, "predicted": predicted, "labels": labels, "matrix": matrix.tolist(),
            "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(), "support": support.tolist()}
    for average in ("macro", "micro", "weighted"):
        ap, ar, af, _ = precision_recall_fscore_support(actual, predicted, labels=labels, average=average, zero_division=0)
        case[average] = [float(ap), float(ar), float(af)]
    case["mcc"] = float(matthews_corrcoef(actual, predicted)) if len(set(actual)) > 1 and len(set(predicted)) > 1 else None
    confusions.append(case)
cases["confusion"] = confusions

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stats.json")
with open(path, "w") as handle:
    json.dump(cases, handle, separators=(",", ":"))
print(f"wrote {path}")
