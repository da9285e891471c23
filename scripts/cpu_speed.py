"""How fast this machine's CPU is right now: the milliseconds a fixed pure-Python loop takes on one core.

This machine's speed is not constant: the same work takes up to half as long again from one hour to the
next, while the guest reports no steal time (bench/README.md, «Suite time»). scripts/test.sh prints this
figure before and after the run, so that a suite time is read together with the speed it ran at.

    python scripts/cpu_speed.py          # median and best of 7 rounds, in ms
"""

import time

ITERATIONS = 3_000_000
ROUNDS = 7


def loop_ms() -> float:
    start = time.perf_counter()
    total = 0
    for number in range(ITERATIONS):
        total += number
    return (time.perf_counter() - start) * 1000


def main() -> None:
    rounds = sorted(loop_ms() for _ in range(ROUNDS))
    print(
        f"CPU speed: {rounds[ROUNDS // 2]:.0f} ms for {ITERATIONS:,} additions "
        f"(median of {ROUNDS}, best {rounds[0]:.0f}; lower is faster)"
    )


if __name__ == "__main__":
    main()
