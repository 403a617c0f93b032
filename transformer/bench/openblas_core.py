"""Which OpenBLAS kernels PyTorch's CPU matmuls run on, and a guard against the SSE3 fallback.

Debian's OpenBLAS 0.3.21 (under Debian's python3-torch) does not know some newer CPUs, the Intel Xeon model 207
(Emerald Rapids) among them, and falls back to its Prescott (SSE3) kernels: about 15 GFLOP/s where its SkylakeX
(AVX-512) kernels do 100, and PyTorch's small training step on one thread at 3 400 tok/s instead of 9 000.
OPENBLAS_CORETYPE, read when the library loads, overrides the choice. torch_gpt_bench.py and torch_profile.py call
ensure_fast_kernels(), so that no PyTorch figure is taken on the fallback, and print the core they ran on.

Run as a script it prints the core those scripts would run on (compare-torch.sh's header).
"""
import ctypes
import os
import sys

def core():
    """The CPU core OpenBLAS chose its kernels for (once torch is imported), or None where torch has no OpenBLAS."""
    for name in ("libblas.so.3", "libopenblas.so.0"):  # dlopen returns the copy torch already loaded
        try:
            corename = ctypes.CDLL(name).openblas_get_corename
        except (OSError, AttributeError):
            continue
        corename.restype = ctypes.c_char_p
        return corename().decode()
    return None

def _avx512():
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and " avx512f" in line for line in f)
    except OSError:
        return False

def ensure_fast_kernels():
    """Call after `import torch`, before any work. Runs this script again (same arguments) with OPENBLAS_CORETYPE set
    when TORCH_OPENBLAS_CORETYPE=NAME asks for a core, or when OpenBLAS chose Prescott on a CPU with AVX-512 and the
    environment chose nothing (then SkylakeX). An OPENBLAS_CORETYPE already set is left alone: the printed core says
    what it gave."""
    wanted = os.environ.get("TORCH_OPENBLAS_CORETYPE")
    if not wanted and "OPENBLAS_CORETYPE" not in os.environ and core() == "Prescott" and _avx512():
        wanted = "SkylakeX"
    if wanted and os.environ.get("OPENBLAS_CORETYPE") != wanted:
        os.execve(sys.executable, [sys.executable] + sys.argv, {**os.environ, "OPENBLAS_CORETYPE": wanted})


if __name__ == "__main__":
    import torch  # noqa: F401 (loads OpenBLAS)
    ensure_fast_kernels()
    print(core() or "none (torch without OpenBLAS)")
