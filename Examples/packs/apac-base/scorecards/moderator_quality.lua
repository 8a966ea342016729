-- Moderators by month: accuracy and errors; flags moderators weak on one label.
local caliper = require "caliper"

return caliper.scorecard {
  id = "moderator_quality",
  name = "Moderator quality",
  grain = "moderator",
  period = "month",
  min_n = 20,
  kpis = {
    { id = "qa_accuracy", label = "QA accuracy", weight = 0.7, target = 0.95, format = "percent",
      value = function(g) return g.qa.accuracy end },
    { id = "major_errors", label = "Major+critical errors / 1000", weight = 0.3, target = 10, better = "lower",
      format = "rate_per_1000",
      value = function(g)
        if g.qa.audited == 0 then return nil, "no audits" end
        return (g.qa.major_errors + g.qa.critical_errors) / g.qa.audited * 1000, g.qa.audited
      end },
    { id = "handle_mean", label = "Mean handle time", format = "seconds",
      value = function(g) return g.handle.mean end },
  },
  findings = function(card)
    caliper.detect.label_weakness(card, { alpha = 0.01, min_n = 20, min_gap = 0.3 })
  end,
}
