"""A plain-numpy reference of the engine's synchronous dynamics and outcome names.

It follows the definitions of the core crate's `dynamics` and `outcome` modules step by
step, in the same floating-point operations, so its results must match exactly.
"""

import numpy as np


def hebb_fields(X, S, scale):
    """Fields of Hebb's rule, W = scale · (Xᵀ X − P·I), computed in exact integers."""
    X = X.astype(np.int64)
    S = S.astype(np.int64)
    p = X.shape[0]
    h = X.T @ (X @ S) - p * S
    return scale * h.astype(np.float64)


def decide(x, current, tie):
    """The new value of each neuron whose field exceeds its threshold by x."""
    if tie == "plus":
        at_tie = np.ones_like(current)
    elif tie == "minus":
        at_tie = -np.ones_like(current)
    else:  # keep: ±1 keep their value, an unknown 0 becomes +1
        at_tie = np.where(np.abs(current) == 1, current, 1)
    return np.where(x > 0, 1, np.where(x < 0, -1, at_tie)).astype(np.int8)


def energy(X, S, scale, theta):
    """E = −½ SᵀWS + θ·S with the engine's order of operations (factored form)."""
    X = X.astype(np.int64)
    S64 = S.astype(np.int64)
    m = X @ S64
    d = X.shape[0] * int(np.sum(S64 * S64))
    q = scale * float(int(np.sum(m * m)) - d)
    return -0.5 * q + theta * float(np.sum(S64))


def outcome(X, S):
    """The outcome name and pattern index of a fixed point, as `Outcome::of_fixed_point`."""
    n = X.shape[1]
    dots = X.astype(np.int64) @ S.astype(np.int64)
    hit = np.flatnonzero(dots == n)
    if hit.size:
        return "recalled", int(hit[0])
    hit = np.flatnonzero(dots == -n)
    if hit.size:
        return "reversed", int(hit[0])
    if X.shape[0] >= 3:
        order = sorted(range(len(dots)), key=lambda mu: (-abs(int(dots[mu])), mu))[:3]
        signs = [1 if dots[mu] >= 0 else -1 for mu in order]
        total = sum(s * X[mu].astype(np.int64) for mu, s in zip(order, signs))
        differ = int(np.sum(np.sign(total) != S))
        if differ <= n // 20:
            return "mixture", None
    return "spurious", None


def sync_recall(X, cue, scale, theta=0.0, tie="plus", max_steps=100):
    """Synchronous dynamics until a fixed point or a cycle, as the engine runs them.

    Returns (state, steps, converged, outcome, pattern, period).
    """
    S = np.asarray(cue, dtype=np.int8).copy()
    seen = {S.tobytes(): 0}
    steps, converged, period = 0, None, None
    for step in range(1, max_steps + 1):
        nxt = decide(hebb_fields(X, S, scale) - theta, S, tie)
        steps = step
        if np.array_equal(nxt, S):
            converged = True
            break
        S = nxt
        key = S.tobytes()
        if key in seen:
            period = step - seen[key]
            converged = False
            break
        seen[key] = step
    if period is not None:
        return S, steps, False, "cycle", None, period
    if converged is None:
        converged = bool(np.array_equal(decide(hebb_fields(X, S, scale) - theta, S, tie), S))
    if not converged:
        return S, steps, False, "unconverged", None, None
    name, mu = outcome(X, S)
    return S, steps, True, name, mu, None
