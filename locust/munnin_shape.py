"""Munnin's load shapes: how many simulated users at a moment of the run.

The same formulas, with the same floating-point operations and the same rounding, as
src/traffic/loadShape.ts (the built-in generator); keep the two in step.

- constant: peak users throughout.
- normal: Munnin's diurnal curve f(x) = (1/25)(-1/2 sin(pi x / 12) + 1.1), x = hour 0..23,
  compressed into the run (24 equal steps), scaled so the busiest step has peak users.
- bursty: 8 equal periods; each is at round(peak / 4) users except during its third
  quarter, a burst at peak. The pattern repeats after the end.

Every shape gives at least 1 user. Rounding is half up (math.floor(v + 0.5)), as JavaScript's
Math.round, not Python's round (which rounds half to even).
"""
import math

NORMAL_STEPS = 24
BURSTY_PERIODS = 8
BURSTY_BURST_START = 0.5
BURSTY_BURST_END = 0.75
BURSTY_BASELINE = 0.25
SHAPES = ("constant", "normal", "bursty")


def normal_curve(hour):
    return (1 / 25) * (-0.5 * math.sin((math.pi * hour) / 12) + 1.1)


NORMAL_MAX = max(normal_curve(x) for x in range(NORMAL_STEPS))


def _round_half_up(value):
    return math.floor(value + 0.5)


def users_at(shape, elapsed_seconds, duration_seconds, peak_users):
    """Users wanted elapsed_seconds into a run of duration_seconds peaking at peak_users."""
    if not duration_seconds > 0:
        raise ValueError(f"duration_seconds must be positive (got {duration_seconds})")
    if not peak_users >= 1:
        raise ValueError(f"peak_users must be at least 1 (got {peak_users})")
    elapsed = max(0.0, float(elapsed_seconds))
    if shape == "constant":
        return max(1, _round_half_up(peak_users))
    if shape == "normal":
        step = min(NORMAL_STEPS - 1, math.floor((elapsed * NORMAL_STEPS) / duration_seconds))
        return max(1, _round_half_up((peak_users * normal_curve(step)) / NORMAL_MAX))
    if shape == "bursty":
        periods = (elapsed * BURSTY_PERIODS) / duration_seconds
        phase = periods - math.floor(periods)
        burst = BURSTY_BURST_START <= phase < BURSTY_BURST_END
        return max(1, _round_half_up(peak_users if burst else peak_users * BURSTY_BASELINE))
    raise ValueError(f"unknown load shape {shape!r} (expected one of {', '.join(SHAPES)})")
