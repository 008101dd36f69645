"""Fit the same-content matcher's model on the MSRP training split and write ``matcher_model.json``.

    python scripts/tune_matcher.py [--shared PATH] [--dry-run]

Logistic regression over :data:`newsdesk.briefing.matcher.FEATURES` on the pairs that pass the vetoes
and the prefilter; the threshold is the lowest probability at which precision on the fitted pairs reaches
``PRECISION_TARGET`` (newsdesk/eval/attribution.py).  Prints the 5-fold cross-validated figures (fitted
and thresholded on four folds, scored on the fifth).  Only the visible training split is read.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsdesk.eval import attribution as at
from newsdesk.eval.common import data_dir

OUT = Path(__file__).resolve().parent.parent / "newsdesk" / "briefing" / "matcher_model.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=None)
    ap.add_argument("--dry-run", action="store_true", help="print, do not write the model")
    args = ap.parse_args()
    pairs = at.load_msrp(data_dir("msrp-paraphrase", args.shared))
    labels = [p.label for p in pairs]
    rows, gate = at.feature_table(at.parse_pairs(pairs))
    held, models, fold_of = at.cross_validated(rows, gate, labels)
    cv = at.prf([h >= models[f].threshold for h, f in zip(held, fold_of)], labels)
    model = at.fit(rows, gate, labels, range(len(pairs)))
    train = at.prf([s >= model.threshold for s in at.matcher_scores(rows, gate, model)], labels)
    note = (f"Fitted by scripts/tune_matcher.py on the MSRP training split ({len(pairs)} pairs, "
            f"{sum(gate)} past the vetoes and prefilter); threshold: lowest probability with precision >= "
            f"{at.PRECISION_TARGET} on the fitted pairs. Train P {train['precision']:.3f} R {train['recall']:.3f}; "
            f"5-fold cross-validated P {cv['precision']:.3f} R {cv['recall']:.3f} F1 {cv['f1']:.3f}.")
    print(note)
    if args.dry_run:
        return
    from newsdesk.briefing.matcher import FEATURES
    data = {"coefficients": dict(zip(FEATURES, (round(c, 6) for c in model.coefficients))),
            "intercept": round(model.intercept, 6), "threshold": round(model.threshold, 6), "note": note}
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
