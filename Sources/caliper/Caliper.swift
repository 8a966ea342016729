import ArgumentParser

/// The `caliper` command line.
@main
struct Caliper: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "caliper",
    abstract: "Scriptable vendor-quality scorecards, alignment and upskilling for Trust & Safety operations.",
    subcommands: [Eval.self]
  )
}
