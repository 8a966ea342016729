-- Regional targets, shared by the base scorecards (market packs override KPIs, not this file).
return {
  qa_accuracy = 0.96,
  golden_accuracy = 0.95,
  sla = 0.95,
  critical_per_1000 = 0,
  min_audits = 30,
}
