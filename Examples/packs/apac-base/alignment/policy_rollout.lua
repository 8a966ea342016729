-- A policy version goes live only with the moderators trained for it, without a drop in
-- accuracy on the changed label, and nobody uses a new label before it exists.
local caliper = require "caliper"

-- The training modules that teach a change: those a pack names in the parameter
-- "modules label@version" (comma-separated), else every module whose id mentions both the
-- version and the label (`_` and `-` alike).
local function modules_for(change, params)
  local listed = params["modules " .. change.label .. "@" .. change.version]
  if listed then
    local names = {}
    for name in listed:gmatch("[^,%s]+") do names[#names + 1] = name end
    return names
  end
  local label = change.label:gsub("_", "-")
  local found = {}
  for _, id in ipairs(change.modules) do
    local plain = id:gsub("_", "-")
    if plain:find(change.version, 1, true) and plain:find(label, 1, true) then found[#found + 1] = id end
  end
  return found
end

return caliper.alignment {
  id = "policy_rollout",
  name = "Policy rollout",
  params = { min_trained = 0.8, alpha = 0.01, min_drop = 0.05, min_audits = 30 },
  rules = {
    { id = "trained_before_effective", over = "policies", severity = "high",
      description = "share of active moderators who completed the version's training before it took effect",
      check = function(c, p)
        local modules = modules_for(c, p)
        if #modules == 0 then
          return { severity = "medium", subject = c.id,
            message = ('no training module teaches %s of %s (name them in the parameter "modules %s@%s")'):format(
              c.version, c.label, c.label, c.version) }
        end
        local t = c:training { modules = modules }
        local share = t.share
        if share.defined and share.hi < p.min_trained then
          return { subject = c.id, message = ("only %d of %d active moderators finished %s before %s"):format(
            share.k, share.n, table.concat(modules, ", "), c.effective_from), evidence = { share = share.value } }
        end
      end },
    { id = "accuracy_after_change", over = "policies", severity = "medium",
      description = "accuracy on the changed label after the change against before it, per market",
      check = function(c, p)
        local findings = {}
        for _, a in ipairs(c:accuracy { by = "market" }) do
          if a.p and a.z < 0 and a.p < p.alpha and a.before.n >= p.min_audits and a.after.n >= p.min_audits
              and a.before.value - a.after.value >= p.min_drop then
            findings[#findings + 1] = { subject = c.id .. " / " .. a.group,
              message = ("accuracy on %s fell from %.1f%% to %.1f%% in %s (%s)"):format(
                c.label, a.before.value * 100, a.after.value * 100, a.group, caliper.format.p(a.p)) }
          end
        end
        return findings
      end },
    { id = "no_early_use", over = "policies", severity = "medium",
      description = "decisions using a new label before it takes effect",
      check = function(c)
        if c.early_uses > 0 then
          return { subject = c.id, message = ("%s decisions used %s before it took effect on %s"):format(
            caliper.format.count(c.early_uses), c.label, c.effective_from) }
        end
      end },
  },
}
