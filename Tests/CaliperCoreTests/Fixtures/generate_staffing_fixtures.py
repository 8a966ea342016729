"""Generates staffing.json: Erlang C reference values from pyworkforce's `ErlangC`, for
Caliper's `Staffing.erlangC` and `Staffing.erlangAgents`. Run once, commit the JSON; the Swift
tests read only the JSON (no Python needed to test).

    pip install pyworkforce
    python3 Tests/CaliperCoreTests/Fixtures/generate_staffing_fixtures.py

pyworkforce counts time in minutes over an interval; Caliper takes arrivals per hour and
seconds. With interval = 60 minutes, transactions = arrivals per hour, aht and asa in minutes,
pyworkforce's intensity equals Caliper's traffic (arrivals per hour × handle seconds / 3600).
The fewest agents for a target level come from pyworkforce's own `service_level`, searched
upward from ⌊traffic⌋ + 1 (its `required_positions` starts at round(traffic + 1), which can
skip the answer, and adds shrinkage and occupancy caps Caliper does not model).
"""
import json
import math
import os
import random

import pyworkforce
from pyworkforce.queuing import ErlangC

rng = random.Random(20261203)
cases = []
shapes = [(rng.uniform(10, 2000), rng.uniform(20, 900)) for _ in range(60)]
shapes += [(3_600_000.0, 36.0), (1_800_000.0, 90.0), (250_000.0, 120.0)]  # 36,000 / 45,000 / 8,333 erlangs
for arrivals, aht in shapes:
    target = rng.choice([10.0, 20.0, 30.0, 60.0, 120.0])
    level = rng.choice([0.7, 0.8, 0.9, 0.95])
    queue = ErlangC(transactions=arrivals, aht=aht / 60, asa=target / 60, interval=60)
    traffic = queue.intensity
    agents = math.floor(traffic) + 1
    while queue.service_level(agents) < level:
        agents += 1
    checks = []
    for n in sorted({agents, agents + rng.randint(1, 5), math.floor(traffic) + 1}):
        wait = queue.waiting_probability(n)
        checks.append({
            "agents": n,
            "waiting_probability": wait,
            "service_level": queue.service_level(n),
            "average_speed_of_answer": wait * aht / (n - traffic),
            "occupancy": queue.achieved_occupancy(n),
        })
    cases.append({"arrivals_per_hour": arrivals, "aht_seconds": aht, "target_seconds": target,
                  "target_level": level, "traffic": traffic, "required_agents": agents, "at": checks})

out = os.path.join(os.path.dirname(__file__), "staffing.json")
with open(out, "w") as f:
    json.dump({"versions": {"pyworkforce": getattr(pyworkforce, "__version__", "0.5.1")}, "cases": cases}, f, indent=1)
print(f"wrote {len(cases)} cases to {out}")
