"""How far to believe the inferred codeshares: controls, alliances and a held-out check.

- Negative controls: carriers that sold no codeshares in mid-2014 (bundled list with
  sources); the inference should give them no partner.
- Positive controls: documented 2014 codeshares between airlines not in one alliance;
  the inference should recover them (recall).
- Alliances: among inferred pairs of alliance members, the share inside one alliance
  (precision) against chance, and the share of all same-alliance member pairs recovered
  (recall; alliances do not codeshare on every pair, so recall is low by nature).
- Held-out: hide a random share of the unambiguous flagged routes (one candidate
  operator, so the partner is known), infer from the rest, and count the hidden routes
  whose pair is still inferred, against the same count after shuffling the hidden routes'
  operators (what luck alone recovers).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from graphkit import bundled
from graphkit.codeshares import FDR, MIN_LIFT, CodeshareInference, infer_codeshares
from graphkit.summary import plural

NEGATIVE = "controls/codeshare_negative_2014.csv"
POSITIVE = "controls/codeshare_positive_2014.csv"


def load_controls() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundled negative (code, airline, claim, source) and positive (a, b, a_airline,
    b_airline, claim, source) controls."""
    return (pd.read_csv(bundled.bundled(NEGATIVE), dtype=str),
            pd.read_csv(bundled.bundled(POSITIVE), dtype=str))


def _pair_set(pairs: pd.DataFrame) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for p in zip(pairs["a"], pairs["b"], strict=True)}


def control_report(inference: CodeshareInference, negatives: pd.DataFrame,
                   positives: pd.DataFrame, airlines: set | None = None) -> dict:
    """Partners inferred for each negative control, and the positive controls recovered
    (only controls whose airlines are in the route data count; `airlines` lists them)."""
    found = _pair_set(inference.pairs)
    present = airlines if airlines is not None else set().union(*found) if found else set()
    negative = {}
    names = dict(zip(negatives["code"], negatives["airline"], strict=True))
    for code in negatives["code"]:
        if code in present:
            negative[code] = sorted(b if a == code else a for a, b in found if code in (a, b))
    checked = [(a, b) for a, b in zip(positives["a"], positives["b"], strict=True)
               if a in present and b in present]
    recovered = [f"{a}-{b}" for a, b in checked if tuple(sorted((a, b))) in found]
    missed = [f"{a}-{b}" for a, b in checked if tuple(sorted((a, b))) not in found]
    return {
        "negative_partners": {k: len(v) for k, v in negative.items()},
        "negative_names": {k: names[k] for k in negative},
        "negative_partner_list": negative,
        "positive_checked": len(checked),
        "positive_recovered": recovered,
        "positive_missed": missed,
        "positive_recall": len(recovered) / len(checked) if checked else float("nan"),
    }


def held_out_check(routes: pd.DataFrame, *, fraction: float = 0.5, seed: int = 0,
                   fdr: float = FDR, min_lift: float = MIN_LIFT) -> dict:
    """Hide `fraction` of the unambiguous flagged routes, infer from the rest, and count the
    hidden routes whose pair is inferred, against shuffled operators (module docstring)."""
    flags = routes["codeshare"].astype(bool)
    operated = routes.loc[~flags, ["org_id", "market"]].drop_duplicates()
    flagged = routes.loc[flags, ["org_id", "market"]].drop_duplicates()
    cand = flagged.reset_index().merge(operated, on="market", suffixes=("", "_o"))
    cand = cand[cand["org_id"] != cand["org_id_o"]]
    sole = cand.groupby(["org_id", "market"]).filter(lambda g: len(g) == 1)
    rng = np.random.default_rng(seed)
    hidden = sole.sample(frac=fraction, random_state=rng.integers(2**31))
    hidden_rows = routes.index[flags][routes.loc[flags, ["org_id", "market"]].apply(
        tuple, axis=1).isin(set(zip(hidden["org_id"], hidden["market"], strict=True)))]
    rest = infer_codeshares(routes.drop(index=hidden_rows), fdr=fdr, min_lift=min_lift)
    found = _pair_set(rest.pairs)

    def share(operators: np.ndarray) -> float:
        pairs = [tuple(sorted(p)) for p in zip(hidden["org_id"], operators, strict=True)]
        return float(np.mean([p in found for p in pairs])) if pairs else float("nan")

    shuffled = rng.permutation(hidden["org_id_o"].to_numpy())
    return {"unambiguous_routes": len(sole), "hidden_routes": len(hidden),
            "recovered_share": share(hidden["org_id_o"].to_numpy()),
            "shuffled_share": share(shuffled), "pairs_inferred_from_rest": len(rest.pairs),
            "seed": seed}


def validate(inference: CodeshareInference, data, date: pd.Timestamp | None,
             held_out: bool = True) -> dict:
    """Every check that applies to these sources: the alliance check (when membership and
    a date are given), the bundled controls and the held-out check."""
    from graphkit.groups import groups_as_of

    airlines = set(data.routes["org_id"].astype(str))
    report: dict = {"method": inference.describe(), "fdr": inference.fdr,
                    "min_lift": inference.min_lift,
                    "flagged_routes": inference.flagged_routes,
                    "matched_routes": inference.matched_routes,
                    "unmatched_routes": inference.unmatched_routes,
                    "pairs_tested": len(inference.tests), "pairs": len(inference.pairs)}
    if not data.groups.empty and date is not None:
        from graphkit.codeshares import alliance_validation

        report["alliance_check"] = {"as_of": f"{date:%Y-%m-%d}", **alliance_validation(
            inference.pairs, groups_as_of(data.groups, date), airlines)}
    negatives, positives = load_controls()
    report["controls"] = control_report(inference, negatives, positives, airlines)
    if held_out:
        report["held_out"] = held_out_check(data.routes, fdr=inference.fdr,
                                            min_lift=inference.min_lift)
    return report


def validation_lines(report: dict) -> list[str]:
    """The checks in plain words, one line each."""
    lines = [f"{plural(report['flagged_routes'], 'codeshare-flagged route')}, "
             f"{report['matched_routes']:,} flown by another airline listing the market; "
             f"{plural(report['pairs_tested'], 'marketer-operator pair')} tested, "
             f"{plural(report['pairs'], 'partnership')} inferred (q <= {report['fdr']:g}, "
             f"lift >= {report['min_lift']:g})"]
    check = report.get("alliance_check")
    if check:
        lines.append(
            f"alliances on {check['as_of']}: {check['same_alliance_share']:.1%} of the "
            f"{check['pairs_with_both_in_alliances']} inferred pairs of alliance airlines "
            f"(members or affiliates) are in one alliance (precision; chance "
            f"{check['expected_degree_preserving']:.1%}); "
            f"they are {check['same_alliance_pairs']} of the "
            f"{check['same_alliance_pairs_possible']} same-alliance pairs (recall "
            f"{check['same_alliance_recall']:.1%})")
    controls = report["controls"]
    if controls["negative_partners"]:
        lines.append("negative controls (no codeshares in 2014): " + ", ".join(
            f"{controls['negative_names'][code]} {n} partner{'s' if n != 1 else ''}"
            for code, n in controls["negative_partners"].items()))
    if controls["positive_checked"]:
        missed = (f" (missed {', '.join(controls['positive_missed'])})"
                  if controls["positive_missed"] else "")
        lines.append(f"positive controls (documented 2014 codeshares outside alliances): "
                     f"{len(controls['positive_recovered'])} of "
                     f"{controls['positive_checked']} recovered{missed}")
    held = report.get("held_out")
    if held and not held["hidden_routes"]:
        lines.append(f"held-out check: not possible, with "
                     f"{plural(held['unambiguous_routes'], 'unambiguous route')} too few to "
                     "hide any")
    elif held:
        lines.append(f"held-out check: with {held['hidden_routes']:,} of "
                     f"{held['unambiguous_routes']:,} unambiguous routes hidden, "
                     f"{held['recovered_share']:.1%} of them still fall on an inferred pair "
                     f"(shuffled operators: {held['shuffled_share']:.1%})")
    return lines
