-- AI-assisted review by market: how often moderators follow the model and how good it is
-- against QA; flags labels the model misses in one market.
local caliper = require "caliper"

return caliper.scorecard {
  id = "ai_assist",
  name = "AI assist",
  grain = "market",
  period = "month",
  min_n = 30,
  kpis = {
    { id = "coverage", label = "AI coverage", format = "percent", value = function(g) return g.ai.coverage end },
    { id = "agreement", label = "Human–AI agreement", format = "percent",
      value = function(g) return g.ai.agreement end },
    { id = "override_rate", label = "Override rate", format = "percent",
      value = function(g) return g.ai.override_rate end },
    { id = "macro_recall", label = "AI macro recall", weight = 0.4, target = 0.85, format = "percent",
      value = function(g) return g.ai.macro_recall end },
    { id = "macro_precision", label = "AI macro precision", weight = 0.3, target = 0.85, format = "percent",
      value = function(g) return g.ai.macro_precision end },
    { id = "overridden_accuracy", label = "Accuracy when overriding", weight = 0.3, target = 0.9, format = "percent",
      min_n = 10, value = function(g) return g.ai.overridden_accuracy end },
  },
  findings = function(card)
    caliper.detect.ai_recall_gaps(card, { alpha = 0.01, min_n = 20, min_gap = 0.3 })
  end,
}
