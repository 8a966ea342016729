return {
  name = "jp",
  version = "1.0.0",
  caliper = 1,
  markets = { "JP" },
  extends = "apac-base",
  description = "Japan: stricter accuracy target, and a check that night-shift work stays small.",
}
