local caliper = require "caliper"

return caliper.scorecard {
  base = "site_weekly",
  name = "KR site weekly",
  kpis = {
    { id = "sla", target = 0.97, weight = 0.15 },
    { id = "hate_speech_recall", label = "Hate-speech recall", weight = 0.05, target = 0.9, format = "percent",
      min_n = 10, value = function(g) return g.qa:recall("hate_speech") end },
  },
}
