"""What the one-core benchmarks share: one BLAS/OpenMP thread (set before numpy or torch is imported) and
a timer giving (result, CPU seconds of this process, wall seconds)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - cpu, time.perf_counter() - wall
