local caliper = require "caliper"

return caliper.scorecard {
  base = "site_weekly",
  name = "ID site weekly",
  kpis = {
    { id = "critical_errors", weight = 0.2 },
    { id = "golden_accuracy", weight = 0.1 },
    { id = "scam_recall", label = "Scam/fraud recall", weight = 0.1, target = 0.9, format = "percent",
      min_n = 10, value = function(g) return g.qa:recall("scam_fraud") end },
  },
}
