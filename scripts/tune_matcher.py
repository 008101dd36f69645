"""Fit the same-content matcher's model on the MSRP training split and write ``matcher_model.json``.

    python scripts/tune_matcher.py [--shared PATH] [--dry-run] [--lexical]

Logistic regression over :data:`newsdesk.briefing.matcher.FEATURES` on the pairs that pass the vetoes
and the prefilter; the threshold is the lowest probability at which precision on the fitted pairs reaches
``PRECISION_TARGET`` (newsdesk/eval/attribution.py).  Prints the 5-fold cross-validated figures (fitted
and thresholded on four folds, scored on the fifth).  Only the visible training split is read.

``--lexical`` fits the model without the embedding cosine (its coefficient is 0: the matcher of
``Options.same_content_model = False``, no MiniLM) and writes ``matcher_model_lexical.json``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from newsdesk.eval import attribution as at
from newsdesk.eval.common import data_dir

OUT = Path(__file__).resolve().parent.parent / "newsdesk" / "briefing" / "matcher_model.json"
OUT_LEXICAL = OUT.with_name("matcher_model_lexical.json")


def lexical_rows(sents: list) -> tuple[list, list[bool]]:
    """:func:`newsdesk.eval.attribution.feature_table` without the embeddings (cosine 0 for every pair)."""
    from newsdesk.briefing.matcher import key_facts, prefilter
    rows, gate = [], []
    for a, b in sents:
        fa, fb = key_facts(a), key_facts(b)
        rows.append((fa, fb, 0.0))
        gate.append(prefilter(fa, fb))
    return rows, gate


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=None)
    ap.add_argument("--dry-run", action="store_true", help="print, do not write the model")
    ap.add_argument("--lexical", action="store_true", help="fit without the embedding cosine (no MiniLM)")
    args = ap.parse_args()
    pairs = at.load_msrp(data_dir("msrp-paraphrase", args.shared))
    labels = [p.label for p in pairs]
    sents = at.parse_pairs(pairs)
    rows, gate = lexical_rows(sents) if args.lexical else at.feature_table(sents)
    held, models, fold_of = at.cross_validated(rows, gate, labels)
    cv = at.prf([h >= models[f].threshold for h, f in zip(held, fold_of)], labels)
    model = at.fit(rows, gate, labels, range(len(pairs)))
    if args.lexical:  # the cosine column is 0: its coefficient is 0 (exactly, so no embedding is asked for)
        from newsdesk.briefing.matcher import MatcherModel
        model = MatcherModel((0.0, *model.coefficients[1:]), model.intercept, model.threshold)
    for row in at.pr_table(held, labels, at.GRID):
        print("CV at {threshold}: P {precision:.3f} R {recall:.3f} F1 {f1:.3f}".format(**row))
    train = at.prf([s >= model.threshold for s in at.matcher_scores(rows, gate, model)], labels)
    what = " --lexical on lexical and key-fact features only (no embedding cosine) and" if args.lexical else ""
    note = (f"Fitted by scripts/tune_matcher.py{what} on the MSRP training split ({len(pairs)} pairs, "
            f"{sum(gate)} past the vetoes and prefilter); threshold: lowest probability with precision >= "
            f"{at.PRECISION_TARGET} on the fitted pairs. Train P {train['precision']:.3f} R {train['recall']:.3f}; "
            f"5-fold cross-validated P {cv['precision']:.3f} R {cv['recall']:.3f} F1 {cv['f1']:.3f}.")
    print(note)
    if args.dry_run:
        return
    from newsdesk.briefing.matcher import FEATURES
    data = {"coefficients": dict(zip(FEATURES, (round(c, 6) for c in model.coefficients))),
            "intercept": round(model.intercept, 6), "threshold": round(model.threshold, 6), "note": note}
    out = OUT_LEXICAL if args.lexical else OUT
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
