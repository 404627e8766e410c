#!/usr/bin/env python3
"""Summarises bench/stalls.sh's samples: per target the pooled p99 / p99.9, stalls (requests over 1.5 ms) per 10k
requests, and per round the stalls with, in brackets, how many came 95-130 ms after the previous one (the usage
ledger's 100 ms batch window plus a batch). A sample's time is the sum of the samples before it plus 15 us each for
the client's own loop, so the gaps are approximate."""
import collections
import glob
import re
import sys

STALL_US = 1500


def percentile(sorted_values, percent):
    rank = max(1, min(len(sorted_values), int(-(-percent * len(sorted_values) // 100))))  # nearest rank
    return sorted_values[rank - 1]


def main(directory):
    files = collections.defaultdict(list)
    for path in glob.glob(f"{directory}/lat-*-r*.txt"):
        match = re.match(r".*/lat-(.+)-r(\d+)\.txt$", path)
        files[match.group(1)].append((int(match.group(2)), path))
    for target in sorted(files):
        pooled, rounds = [], []
        for _, path in sorted(files[target]):
            samples = [float(line) for line in open(path) if line.strip()]
            pooled += samples
            clock, stalls = 0.0, []
            for sample in samples:
                if sample > STALL_US:
                    stalls.append(clock)
                clock += sample + 15
            periodic = sum(1 for a, b in zip(stalls, stalls[1:]) if 95_000 <= b - a <= 130_000)
            rounds.append(f"{len(stalls)} ({periodic})")
        pooled.sort()
        per_10k = 10_000 * sum(1 for s in pooled if s > STALL_US) / len(pooled)
        print(f"{target}: p99 {percentile(pooled, 99):.0f} us, p99.9 {percentile(pooled, 99.9):.0f} us, "
              f"{per_10k:.1f} stalls per 10k; per round: {', '.join(rounds)}")


if __name__ == "__main__":
    main(sys.argv[1])
