-- The regional standard every APAC market pack extends.
return {
  name = "apac-base",
  version = "1.0.0",
  caliper = 1,
  markets = { "JP", "KR", "ID", "TH", "VN", "PH", "IN", "AU" },
  description = "APAC vendor-quality standard: site, vendor-QA alignment, moderator and AI-assist scorecards.",
}
