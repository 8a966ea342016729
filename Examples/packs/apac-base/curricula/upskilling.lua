-- APAC upskilling: a module per policy label (entry and advanced where the label is hard), AI
-- literacy, and the hate-speech policy change. Rules read each moderator's profile: recall on a
-- label well below target (its interval's upper end under the target), and taking the AI's
-- suggestion almost always, wrong ones included, or overrides that hurt more than they help (QA
-- sided with the AI on more than half of them, by the interval's lower end).
local caliper = require "caliper"

return caliper.curriculum {
  id = "apac_upskilling",
  name = "APAC upskilling",
  params = { min_support = 15, recall_target = 0.85, min_accepted = 30, max_acceptance = 0.93,
    min_overrides = 15, max_overrode_right = 0.5 },
  modules = {
    { id = "BASE-101", title = "Queue basics and benign content", covers = { "benign" }, hours = 1 },
    { id = "SPAM-101", title = "Spam and platform manipulation", covers = { "spam" }, hours = 1 },
    { id = "MIS-101", title = "Misinformation", covers = { "misinformation" }, hours = 2 },
    { id = "SCAM-101", title = "Scams and fraud", covers = { "scam_fraud" }, hours = 2 },
    { id = "HATE-101", title = "Hate speech", covers = { "hate_speech" }, hours = 2 },
    { id = "HATE-201", title = "Hate speech: coded language and context", covers = { "hate_speech" },
      requires = { "HATE-101" }, hours = 3 },
    { id = "HAR-101", title = "Harassment and bullying", covers = { "harassment" }, hours = 2 },
    { id = "NUD-101", title = "Adult nudity", covers = { "adult_nudity" }, hours = 1 },
    { id = "VE-101", title = "Violent extremism", covers = { "violent_extremism" }, hours = 2, expires_days = 365 },
    { id = "SH-101", title = "Self-harm and suicide content", covers = { "self_harm" }, hours = 2, expires_days = 365 },
    { id = "CS-101", title = "Child safety", covers = { "child_safety" }, hours = 2, expires_days = 180 },
    { id = "AI-1", title = "Working with AI suggestions", skill = "ai_assist", hours = 1, expires_days = 180 },
    { id = "policy-v8-hate-speech", title = "Hate speech policy v8: what changed", teaches_policy = "hate_speech@v8",
      covers = { "hate_speech" }, requires = { "HATE-101" }, hours = 1 },
  },
  rules = {
    { id = "weak_label", description = "recall on a label clearly below target",
      check = function(m, p)
        local out = {}
        for label, r in pairs(m.labels) do
          local hi = r.recall.hi
          if r.support >= p.min_support and hi and hi < p.recall_target then
            out[#out + 1] = { module = caliper.module_for(label), priority = 1,
              reason = ("recall %s on %s (n=%s, 95%% CI up to %s)"):format(caliper.format.percent(r.recall.value),
                label, caliper.format.count(r.support), caliper.format.percent(hi)) }
          end
        end
        return out
      end },
    { id = "ai_overreliance", description = "takes AI suggestions almost always, wrong ones included",
      check = function(m, p)
        local taken, wrong = m.ai.acceptance_rate, m.ai.accepted_wrong_rate
        if taken.lo and taken.lo > p.max_acceptance and wrong.n >= p.min_accepted and wrong.k > 0 then
          return { { module = "AI-1", priority = 2,
            reason = ("takes the AI's suggestion on %s of assisted decisions (n=%s); QA found %s of those wrong"):format(
              caliper.format.percent(taken.value), caliper.format.count(taken.n), caliper.format.percent(wrong.value)) } }
        end
      end },
    { id = "ai_overriding_right", description = "overrides AI suggestions that QA then finds right",
      check = function(m, p)
        local right = m.ai.overrode_right_rate
        if right.n >= p.min_overrides and right.lo and right.lo > p.max_overrode_right then
          return { { module = "AI-1", priority = 2,
            reason = ("overrode %s of audited overrides where QA sided with the AI (n=%s)"):format(
              caliper.format.percent(right.value), caliper.format.count(right.n)) } }
        end
      end },
  },
  capacity = { hours_per_week = 4, site_hours_per_week = { default = 24 } },
  default_hours = 1,
  horizon_weeks = 8,
}
