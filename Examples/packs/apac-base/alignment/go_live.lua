-- Go-live sign-off: a queue goes live only with staff that can carry its forecast at its SLA,
-- and with most of that staff trained.
local caliper = require "caliper"

return caliper.alignment {
  id = "go_live",
  name = "Go-live readiness",
  params = { target_level = 0.8, shift_hours = 8, min_trained = 0.8 },
  rules = {
    { id = "staffed", over = "queues", severity = "critical",
      description = "Erlang C: the staff on shift reach the SLA target for the forecast",
      check = function(q, p)
        local s, why = q:staffing { shift_hours = p.shift_hours, target_level = p.target_level }
        if not s then return { subject = q.id, message = "staffing unknown: " .. why } end
        if s.service_level == nil or s.service_level < p.target_level then
          local reached = s.service_level and caliper.format.percent(s.service_level) .. " within SLA" or s.reason
          return { subject = q.id, message = ("%d moderators for %s decisions/day: %s; needs %s on shift (%s rostered)"):format(
            q.moderators, caliper.format.count(q.forecast_daily_volume), reached, tostring(s.required_agents), tostring(s.required_headcount)) }
        end
      end },
    { id = "trained", over = "queues", severity = "high",
      description = "share of assigned moderators with completed training",
      check = function(q, p)
        local t = q.trained
        if not t.defined then return { subject = q.id, message = "no moderators assigned" } end
        if t.value < p.min_trained then
          return { subject = q.id, message = ("%d of %d moderators trained"):format(t.k, t.n) }
        end
      end },
  },
}
