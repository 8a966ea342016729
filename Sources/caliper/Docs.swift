import ArgumentParser
import CaliperScripting
import Foundation

/// `caliper docs --pack PACK... [--out DIR]`: a Markdown reference of packs.
struct Docs: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a Markdown reference of packs: scorecards, alignment rules and curricula as declared.",
    discussion: """
      One page per pack (inherited scorecards, rules and modules included and marked), printed, or \
      written as DIR/<pack>.md with --out. Scripts that do not load are listed with their errors. \
      Exit codes: 0 written, 1 a pack cannot be read, 2 usage error.
      """
  )

  @OptionGroup var packOptions: PackOptions

  @Option(help: "Write each page as <pack>.md into this folder (created if needed).")
  var out: String?

  func run() throws {
    let pages: [String: String]
    do { pages = try PackDocumentation.pages(packs: packOptions.urls) } catch {
      FileHandle.standardError.write(Data(TerminalText.escaped("caliper docs: \(error)\n").utf8))
      throw ExitCode(1)
    }
    guard let out else {
      print(pages.keys.sorted().map { pages[$0]! }.joined(separator: "\n"), terminator: "")
      return
    }
    let folder = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in pages.sorted(by: { $0.key < $1.key }) {
      let file = folder.appendingPathComponent("\(name).md")
      try text.write(to: file, atomically: true, encoding: .utf8)
      print("wrote \(file.path)")
    }
  }
}
