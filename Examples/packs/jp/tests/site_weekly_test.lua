-- Japan's changes to the site scorecard are only targets and a finding.
local card = require "scorecards.site_weekly"

return {
  overrides_the_regional_card = function()
    assert(card.base == "site_weekly")
    local targets = {}
    for _, k in ipairs(card.kpis) do targets[k.id] = k.target end
    assert(targets.qa_accuracy == 0.97 and targets.internal_accuracy == 0.97)
  end,
}
