-- Weekly site scorecard: QA and golden-set accuracy, critical errors, SLA; flags sites whose
-- accuracy leaves its control limits or drops week on week. The control chart reads internal QA
-- alone: a p chart assumes independent audits, and a decision audited by both vendor and
-- internal QA counts twice in qa_accuracy (its limits would be too narrow), while vendor QA can
-- be the thing that drifts.
local caliper = require "caliper"
local targets = require "lib.targets"

return caliper.scorecard {
  id = "site_weekly",
  name = "Site weekly",
  grain = "site",
  period = "week",
  min_n = targets.min_audits,
  measures = {
    caliper.measure {
      id = "night_share", reduce = "rate",
      where = function(row) return row.hour >= 22 or row.hour < 6 end,
    },
  },
  kpis = {
    { id = "qa_accuracy", label = "QA accuracy", weight = 0.3, target = targets.qa_accuracy, format = "percent",
      value = function(g) return g.qa.accuracy end },
    { id = "internal_accuracy", label = "Internal QA accuracy", weight = 0.2, target = targets.qa_accuracy,
      format = "percent", value = function(g) return g.qa.internal.accuracy end },
    { id = "critical_errors", label = "Critical errors / 1000 audits", weight = 0.15,
      target = targets.critical_per_1000, better = "lower", format = "rate_per_1000",
      value = function(g)
        if g.qa.audited == 0 then return nil, "no audits" end
        return g.qa.critical_errors / g.qa.audited * 1000, g.qa.audited
      end },
    { id = "golden_accuracy", label = "Golden-set accuracy", weight = 0.15, target = targets.golden_accuracy,
      format = "percent", min_n = 10, value = function(g) return g.golden.accuracy end },
    { id = "sla", label = "Within SLA", weight = 0.2, target = targets.sla, format = "percent",
      value = function(g) return g.sla.within_rate end },
    { id = "handle_p90", label = "Handle time p90", format = "seconds",
      value = function(g) return g.handle.p90 end },
    { id = "night_share", label = "Night-shift share", format = "percent",
      value = function(g) return g:measure("night_share") end },
  },
  bands = { { min = 90, label = "green" }, { min = 75, label = "amber" }, { label = "red" } },
  findings = function(card)
    caliper.detect.control_chart(card, "internal_accuracy", { method = "p" })
    caliper.detect.period_change(card, "qa_accuracy", { alpha = 0.05 })
  end,
}
