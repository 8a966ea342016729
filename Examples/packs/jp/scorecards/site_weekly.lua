-- Japan changes two things of the regional site scorecard: a stricter QA target, and a
-- finding when a site does more than 40% of its work at night.
local caliper = require "caliper"

return caliper.scorecard {
  base = "site_weekly",
  name = "JP site weekly",
  kpis = {
    { id = "qa_accuracy", target = 0.97 },
    { id = "internal_accuracy", target = 0.97 },
  },
  findings = function(card)
    for _, site in ipairs(card.groups) do
      local share = card:value("night_share", site)
      if share and share.value and share.n >= 100 and share.value > 0.4 then
        caliper.finding {
          severity = "low", subject = site, kpi = "night_share", period = card.period,
          message = string.format("%s did %s of its decisions at night (22:00–06:00 UTC)", site, caliper.format.percent(share.value)),
          evidence = { share = share.value, n = share.n },
        }
      end
    end
  end,
}
