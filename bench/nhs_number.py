"""Benchmark: the NHS-number guard on the generated sets of tests/portal/test_nhs_number_sets.py.

    uv run python bench/nhs_number.py [--size 10000] [--seed 31] [--repeat 3]

Makes each set (date-times, ranges and lists of times; UK telephone numbers; codes, money,
references and numbers failing the check; valid NHS numbers in every spelling the guard
catches), runs the guard (`no_nhs_number`, as a form runs it, the message included) over every
text, and prints for each set its size, how many texts were refused, the precision (of those
refused, the share that hold an NHS number) and the recall (of those that hold one, the share
refused), with the best time per 1,000 texts of `--repeat` runs; then the same over all the
sets, and the time for one text of 5,000 characters (the most a paragraph box takes) made of
texts from every set. Needs no database.
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from django.core.exceptions import ValidationError  # noqa: E402

from portal.forms import TEXTAREA_LIMIT  # noqa: E402
from portal.nhs_number import no_nhs_number  # noqa: E402
from tests.portal.test_nhs_number_sets import SEED, SETS, SIZE  # noqa: E402


def refused(text):
    try:
        no_nhs_number(text)
    except ValidationError:
        return True
    return False


def best_time(texts, repeat):
    """The best time of `repeat` runs over the texts, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        for text in texts:
            refused(text)
        times.append(time.perf_counter() - started)
    return min(times)


def share(part, whole):
    return f"{part / whole:.4f}" if whole else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=SIZE)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    print(f"{'set':<42}{'size':>7}{'refused':>9}{'precision':>11}{'recall':>8}{'ms/1,000':>10}")
    totals = {"size": 0, "refused": 0, "right": 0, "holding": 0, "seconds": 0.0}
    samples = []
    for name, (make, holds) in SETS.items():
        texts = make(seed=options.seed, size=options.size)
        samples += texts[:200]
        flagged = sum(refused(text) for text in texts)
        seconds = best_time(texts, options.repeat)
        right = flagged if holds else 0
        holding = len(texts) if holds else 0
        print(
            f"{name:<42}{len(texts):>7}{flagged:>9}{share(right, flagged):>11}"
            f"{share(right, holding):>8}{seconds / len(texts) * 1_000_000:>10.1f}"
        )
        totals["size"] += len(texts)
        totals["refused"] += flagged
        totals["right"] += right
        totals["holding"] += holding
        totals["seconds"] += seconds
    print(
        f"{'all sets':<42}{totals['size']:>7}{totals['refused']:>9}"
        f"{share(totals['right'], totals['refused']):>11}"
        f"{share(totals['right'], totals['holding']):>8}"
        f"{totals['seconds'] / totals['size'] * 1_000_000:>10.1f}"
    )

    long_text = ""
    for sample in samples:
        if len(long_text) + len(sample) + 2 > TEXTAREA_LIMIT:
            break
        long_text += sample + ". "
    seconds = best_time([long_text], options.repeat)
    print(f"one text of {len(long_text):,} characters: {seconds * 1000:.1f} ms")


if __name__ == "__main__":
    main()
