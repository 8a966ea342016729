-- Each queue, each week: decided within the queue's SLA, internal QA accuracy, and the 90th
-- percentile of handle time (lower is better).
local caliper = require "caliper"

return caliper.scorecard {
  id = "queue_weekly",
  name = "Queue health by week",
  grain = "queue",
  period = "week",
  min_n = 30,
  kpis = {
    { id = "within_sla", label = "Within SLA", weight = 0.4, target = 0.95, format = "percent",
      value = function(g) return g.sla.within_rate end },
    { id = "internal_accuracy", label = "Internal QA accuracy", weight = 0.4, target = 0.95, format = "percent",
      value = function(g) return g.qa.internal.accuracy end },
    { id = "handle_p90", label = "Handle time p90 (s)", weight = 0.2, target = 120, better = "lower",
      value = function(g)
        if g.decisions == 0 then return nil, "no decisions" end
        return g.handle.p90, g.decisions
      end },
  },
}
